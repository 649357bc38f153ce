using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Routing;
using ReactiveCache.Gateway.CacheNode;
using ReactiveCache.Gateway.Objects;
using ReactiveCache.Gateway.Routing;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// The gateway composed as its Program.cs composes it (object store, route table, cache node, layers and
/// fallback chain, the object endpoints), on Kestrel at a free loopback port, with no orchestrator: the
/// bench puts the routes in itself.
/// </summary>
public sealed class InProcessGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessGateway(WebApplication app, int port)
    {
        _app = app;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseAddress { get; }

    public static async Task<InProcessGateway> StartAsync(string objectsRoot, string nodeEndpoint, string nodePassword,
        IReadOnlyDictionary<string, CacheLayer> routes, bool withTelemetry, CancellationToken cancellationToken)
    {
        var port = BenchPorts.Free();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = objectsRoot });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ObjectStore:Kind"] = "Folder",
            ["ObjectStore:Root"] = objectsRoot,
            ["CacheNode:Endpoint"] = nodeEndpoint,
            ["CacheNode:Password"] = nodePassword,
            ["OrchestratorLink:Address"] = "",
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        if (withTelemetry)
        {
            builder.AddServiceDefaults();
        }

        builder.AddObjectStore();
        builder.AddOrchestratorLink();
        builder.AddCacheNode();
        builder.AddObjectServing();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapObjectEndpoints();
        app.Services.GetRequiredService<RouteTable>().Replace(1, routes);
        await app.StartAsync(cancellationToken);

        var node = app.Services.GetRequiredService<CacheNodeConnection>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (node.Current is not { Connected: true })
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The gateway did not connect to the cache node at {nodeEndpoint}.");
            }

            await Task.Delay(20, cancellationToken);
        }

        return new InProcessGateway(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
