using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ReactiveCache.LambdaEmulator;

/// <summary>
/// The emulator is a local stand-in that starts processes on request: it listens on loopback only. An address that
/// is not loopback stops it at start, and a request from anywhere but loopback is refused (403) should a
/// configuration still bind one.
/// </summary>
internal static class EmulatorLoopback
{
    public static WebApplication UseLoopbackOnly(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            if (addresses.FirstOrDefault(a => !IsLoopback(a)) is { } exposed)
            {
                app.Logger.LogCritical("The Lambda emulator listens on {Address}, which is not loopback: stopping (bind it to 127.0.0.1 or localhost)", exposed);
                app.Lifetime.StopApplication();
            }
        });
        app.Use((context, next) =>
        {
            if (context.Connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = { Status = StatusCodes.Status403Forbidden, Title = "Loopback only", Detail = "The Lambda emulator answers only this machine." },
                }).AsTask();
            }

            return next(context);
        });
        return app;
    }

    private static bool IsLoopback(string address)
    {
        if (!Uri.TryCreate(address.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0"), UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}
