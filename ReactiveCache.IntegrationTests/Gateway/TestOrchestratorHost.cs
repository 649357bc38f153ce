using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReactiveCache.IntegrationTests.Infrastructure;

namespace ReactiveCache.IntegrationTests.Gateway;

/// <summary>The test orchestrator on a real Kestrel (HTTP/2 cleartext, free loopback port).</summary>
public sealed class TestOrchestratorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestOrchestratorHost(WebApplication app, TestOrchestrator orchestrator, int port)
    {
        _app = app;
        Orchestrator = orchestrator;
        Address = $"http://127.0.0.1:{port}";
    }

    public TestOrchestrator Orchestrator { get; }

    public string Address { get; }

    public static async Task<TestOrchestratorHost> StartAsync(TestOrchestrator? orchestrator = null)
    {
        orchestrator ??= new TestOrchestrator();
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(orchestrator);
        var app = builder.Build();
        app.MapGrpcService<TestOrchestrator>();
        await app.StartAsync();
        return new TestOrchestratorHost(app, orchestrator, port);
    }

    /// <summary>Waits until a gateway has linked to this orchestrator; throws with <paramref name="diagnostics"/> after <paramref name="timeout"/>.</summary>
    public Task WaitForGatewayAsync(TimeSpan timeout, Func<string> diagnostics) =>
        Eventually.HoldsAsync(() => Orchestrator.ConnectedSessions > 0, timeout, "the gateway links to the test orchestrator", diagnostics);

    public async ValueTask DisposeAsync()
    {
        Orchestrator.DropStreams();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
