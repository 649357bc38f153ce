using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using ReactiveCache.Gateway.Objects;

namespace ReactiveCache.Gateway.Limits;

public static class GatewayLimitsRegistration
{
    /// <summary>The request timeout policy of the object endpoints (<see cref="GatewayLimitsOptions.RequestDeadlineMs"/>).</summary>
    public const string ObjectDeadlinePolicy = "object-deadline";

    /// <summary>
    /// The gateway's limits (section <c>Limits</c>): Kestrel's connection and header limits, the deadline of an
    /// object request (ASP.NET Core's request timeouts, answered 504 problem+json), and the budget for held-back bodies.
    /// </summary>
    public static TBuilder AddGatewayLimits<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<GatewayLimitsOptions>()
            .BindConfiguration(GatewayLimitsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<GatewayLimitsOptions>>((kestrel, options) =>
        {
            var limits = options.Value;
            kestrel.Limits.MaxConcurrentConnections = limits.MaxConcurrentConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = limits.MaxConcurrentUpgradedConnections;
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersTotalSizeBytes;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromMilliseconds(limits.RequestHeadersTimeoutMs);
        });

        builder.Services.AddRequestTimeouts();
        builder.Services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<GatewayLimitsOptions>>((timeouts, options) =>
            timeouts.AddPolicy(ObjectDeadlinePolicy, new RequestTimeoutPolicy
            {
                Timeout = TimeSpan.FromMilliseconds(options.Value.RequestDeadlineMs),
                TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
                WriteTimeoutResponse = context => Problems.RequestDeadline(options.Value.RequestDeadlineMs).ExecuteAsync(context),
            }));

        builder.Services.AddSingleton(sp => new HeldBodyBudget(sp.GetRequiredService<IOptions<GatewayLimitsOptions>>().Value.HeldBodiesMaxBytes));
        return builder;
    }

    /// <summary>
    /// Puts <paramref name="endpoint"/> under the request deadline, which ends once the response starts: from
    /// then on a body streams under Kestrel's minimum data rate, not the deadline.
    /// </summary>
    public static TEndpoint WithObjectDeadline<TEndpoint>(this TEndpoint endpoint) where TEndpoint : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new RequestTimeoutAttribute(ObjectDeadlinePolicy));

    /// <summary>Ends the request deadline when the response starts (see <see cref="WithObjectDeadline"/>).</summary>
    public static void EndDeadlineWhenResponseStarts(HttpContext context) =>
        context.Response.OnStarting(static state =>
        {
            ((HttpContext)state).Features.Get<IHttpRequestTimeoutFeature>()?.DisableTimeout();
            return Task.CompletedTask;
        }, context);
}
