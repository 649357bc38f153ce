using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace ReactiveCache.Orchestrator.Control;

/// <summary>
/// Who reaches the control API, and where: the key (<see cref="ControlApiKeyHandler"/>) on every endpoint but the
/// health probes and the gRPC links (which authenticate themselves), reads with the read key or the operator's,
/// changes with the operator's only; no request from another site's page (<c>Origin</c>); and, with
/// <see cref="ControlApiOptions.Port"/>, the control API on its port only and the links on the others. Host names
/// are filtered by ASP.NET Core's <c>AllowedHosts</c> (appsettings.json: loopback names), so that a page whose
/// name was rebound to this machine cannot read the API either.
/// </summary>
public static class ControlApiAccess
{
    /// <summary>Reading the state (GET endpoints): the operator's key or the read key.</summary>
    public const string ReadPolicy = "ControlRead";

    /// <summary>Changing anything (node, functions, routes): the operator's key.</summary>
    public const string OperatePolicy = "ControlOperate";

    private static readonly string[] OpenPaths = ["/health", "/alive"];

    public static IHostApplicationBuilder AddControlApiAccess(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ControlApiOptions>()
            .BindConfiguration(ControlApiOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddProblemDetails();
        builder.Services.AddAuthentication(ControlApiKeyHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ControlApiKeyHandler>(ControlApiKeyHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ReadPolicy, p => p.RequireRole(ControlApiKeyHandler.Operator, ControlApiKeyHandler.Reader))
            .AddPolicy(OperatePolicy, p => p.RequireRole(ControlApiKeyHandler.Operator))
            // Secure by default: an endpoint that names no policy (a new one, the API documents) needs a key.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireRole(ControlApiKeyHandler.Operator, ControlApiKeyHandler.Reader).Build());
        return builder;
    }

    /// <summary>The port and origin filters, then authentication and authorization (after routing, before the endpoints).</summary>
    public static WebApplication UseControlApiAccess(this WebApplication app)
    {
        app.Use(FilterAsync);
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    private static Task FilterAsync(HttpContext context, RequestDelegate next)
    {
        if (OpenPaths.Any(p => context.Request.Path.StartsWithSegments(p)))
        {
            return next(context);
        }

        var options = context.RequestServices.GetRequiredService<IOptionsMonitor<ControlApiOptions>>().CurrentValue;
        var link = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null;
        if (options.Port is { } port && context.Connection.LocalPort != 0 && (context.Connection.LocalPort == port) == link)
        {
            // The control API is not served on the links' port, nor the links on the control API's.
            return Refuse(context, StatusCodes.Status404NotFound, "Not here",
                link ? "The gRPC links are served on the orchestrator's link endpoint." : "The control API is served on its own endpoint.");
        }

        if (!link && context.Request.Headers.Origin is { Count: > 0 } origins && origins.ToString() is var origin
            && !string.Equals(origin, $"{context.Request.Scheme}://{context.Request.Host}", StringComparison.OrdinalIgnoreCase)
            && !options.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            return Refuse(context, StatusCodes.Status403Forbidden, "Cross-site request refused",
                $"Requests from pages of other sites are refused (ControlApi:AllowedOrigins).");
        }

        return next(context);
    }

    private static async Task Refuse(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
