using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace ReactiveCache.IntegrationTests.Infrastructure;

/// <summary>
/// Parts of the orchestrator (its own registrations) hosted in the test on a free loopback port, HTTP/2 only: gRPC
/// over cleartext needs prior knowledge, which Kestrel does not offer on an Http1AndHttp2 endpoint.
/// </summary>
public static class LoopbackGrpcHost
{
    /// <summary>Builds with <paramref name="settings"/>, registers with <paramref name="add"/>, maps with <paramref name="map"/>, starts; returns the app and its URL.</summary>
    public static async Task<(WebApplication App, string Url)> StartAsync(IReadOnlyDictionary<string, string> settings,
        Action<WebApplicationBuilder> add, Action<WebApplication> map)
    {
        var port = FreePort.Next();
        var url = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateBuilder();
        foreach (var (key, value) in settings)
        {
            builder.Configuration[key] = value.Replace("{url}", url, StringComparison.Ordinal);
        }

        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http2));
        add(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return (app, url);
    }
}
