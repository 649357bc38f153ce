using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
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

    private ControlHost(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public IFunctionControl Control => _app.Services.GetRequiredService<IFunctionControl>();

    public FunctionTokens Tokens => _app.Services.GetRequiredService<FunctionTokens>();

    public static async Task<ControlHost> StartAsync(string secret)
    {
        var (app, url) = await LoopbackGrpcHost.StartAsync(new Dictionary<string, string>
        {
            ["Tunnel:Secret"] = secret,
            ["Function:Timeout"] = "00:01:00",
            // Control streams must hold a token addressed to this URL (as the orchestrator's own).
            ["Function:OrchestratorUrl"] = "{url}",
        }, builder => builder.AddFunctions(), app => app.MapFunctions());
        return new ControlHost(app, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
