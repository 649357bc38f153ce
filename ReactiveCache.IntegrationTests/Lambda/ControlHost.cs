using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReactiveCache.Orchestrator.Functions;
using ReactiveCache.IntegrationTests.Infrastructure;

namespace ReactiveCache.IntegrationTests.Lambda;

/// <summary>
/// The orchestrator's function side (tokens, control streams), hosted in the test on a real port with
/// the orchestrator's own registration, so that tests can send keepRunning/shutdown.
/// </summary>
public sealed class ControlHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ControlHost(WebApplication app, int port)
    {
        _app = app;
        Url = $"http://127.0.0.1:{port}";
    }

    public string Url { get; }

    public IFunctionControl Control => _app.Services.GetRequiredService<IFunctionControl>();

    public FunctionTokens Tokens => _app.Services.GetRequiredService<FunctionTokens>();

    public static async Task<ControlHost> StartAsync(string secret)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Tunnel:Secret"] = secret;
        builder.Configuration["Function:Timeout"] = "00:01:00";
        // Control streams must hold a token addressed to this URL (as the orchestrator's own).
        builder.Configuration["Function:OrchestratorUrl"] = $"http://127.0.0.1:{port}";
        builder.Logging.ClearProviders();
        // gRPC over cleartext needs an HTTP/2-only endpoint (Kestrel speaks only HTTP/1.1 on a cleartext
        // Http1AndHttp2 endpoint: there is no ALPN to pick HTTP/2).
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, o => o.Protocols = HttpProtocols.Http2));
        builder.AddFunctions();
        var app = builder.Build();
        app.MapFunctions();
        await app.StartAsync();
        return new ControlHost(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
