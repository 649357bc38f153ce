using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReactiveCache.Core.Routing;
using ReactiveCache.Core.Tunnel;
using ReactiveCache.Gateway;
using ReactiveCache.Gateway.CacheNode;
using ReactiveCache.Domain;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// The gateway composed as its Program.cs composes it (object store, route table, cache node, layers and
/// fallback chain, the Lambda tunnel, the object endpoints), on Kestrel at a free loopback port, with no
/// orchestrator: the bench sets the routes itself (<see cref="Route"/>),
/// as the orchestrator's snapshots would. Both paths a bench compares go through this one gateway; only the
/// route differs.
/// </summary>
public sealed class InProcessGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RouteTable _routes;
    private ulong _version;

    private InProcessGateway(WebApplication app, int port, int tunnelPort, byte[] tunnelSecret)
    {
        _app = app;
        _routes = app.Services.GetRequiredService<RouteTable>();
        TunnelSecret = tunnelSecret;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        TunnelUrl = new Uri($"http://127.0.0.1:{tunnelPort}{TunnelProtocol.ConnectPath}");
    }

    public Uri BaseAddress { get; }

    /// <summary>Where functions dial in (<c>gatewayTunnelUrl</c> of their payload): the tunnel port, or the ordinary one.</summary>
    public Uri TunnelUrl { get; }

    /// <summary>The secret this gateway checks tunnel tokens with (the orchestrator's, in a real run).</summary>
    public byte[] TunnelSecret { get; }

    /// <param name="node">The cache node (endpoint, password); none: the gateway has no Redis layer to use.</param>
    /// <param name="tunnelPort">Functions dial the gateway's tunnel port (<c>Tunnel:ListenPort</c>, as deployed); false: its ordinary port.</param>
    public static async Task<InProcessGateway> StartAsync(string objectsRoot, (string Endpoint, string Password)? node, bool withTelemetry,
        CancellationToken cancellationToken, bool tunnelPort = true)
    {
        var port = BenchPorts.Free();
        var listenPort = tunnelPort ? BenchPorts.Free(except: port) : port;
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = objectsRoot });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ObjectStore:Kind"] = "Folder",
            ["ObjectStore:Root"] = objectsRoot,
            ["CacheNode:Endpoint"] = node?.Endpoint,
            ["CacheNode:Password"] = node?.Password,
            ["OrchestratorLink:Address"] = "",
            ["Tunnel:Secret"] = secret,
            ["Tunnel:ListenPort"] = tunnelPort ? listenPort.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            if (tunnelPort)
            {
                k.Listen(IPAddress.Loopback, listenPort);
            }
        });
        if (withTelemetry)
        {
            builder.AddServiceDefaults();
        }

        builder.AddGatewayServices();

        var app = builder.Build();
        app.UseGatewayMiddleware();
        app.MapObjectServing();
        await app.StartAsync(cancellationToken);

        if (node is { } cacheNode)
        {
            var connection = app.Services.GetRequiredService<CacheNodeConnection>();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (connection.Current is not { Connected: true })
            {
                if (DateTime.UtcNow > deadline)
                {
                    await app.DisposeAsync();
                    throw new InvalidOperationException($"The gateway did not connect to the cache node at {cacheNode.Endpoint}.");
                }

                await Task.Delay(20, cancellationToken);
            }
        }

        return new InProcessGateway(app, port, listenPort, Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>
    /// Replaces the route table with a new version, as an orchestrator snapshot would: every one of
    /// <paramref name="keys"/> to <paramref name="layer"/>, the rest to S3.
    /// </summary>
    public void Route(IEnumerable<string> keys, CacheLayer layer) =>
        _routes.Replace(Interlocked.Increment(ref _version), keys.Select(k => KeyValuePair.Create(k, layer)));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
