using Microsoft.Extensions.Options;
using ReactiveCache.Core.Caching;
using ReactiveCache.Core.Objects;
using ReactiveCache.Domain;
using Spectre.Console;
using StackExchange.Redis;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// The set-up of <c>bench gateway</c>, all on loopback: redis-server holding the objects as the orchestrator
/// stores them, the gateway in process, the bare endpoint with its floors, and (with a <see cref="LambdaSetup"/>)
/// the function serving through its tunnel and the origin of the floor in another process. Knows where each <see cref="GatewayTarget"/> is and readies the
/// gateway for it; disposing stops everything it started.
/// </summary>
internal sealed class GatewayBenchRig : IAsyncDisposable
{
    /// <summary>The objects measured, small and large.</summary>
    public static readonly IReadOnlyList<string> Objects = ["1KB.txt", "1MB.txt"];

    /// <summary>The objects measured and their bodies, as every server of the bench holds them.</summary>
    public static readonly IReadOnlyDictionary<string, byte[]> Bodies = Objects.ToDictionary(k => k, k => SampleObjects.All[k]);

    private readonly List<IAsyncDisposable> _owned;
    private readonly BenchRedisServer _redis;
    private readonly InProcessGateway _gateway;
    private readonly BareEndpoint _bare;
    private readonly GatewayBenchFunction? _function;
    private readonly NginxProxyCache? _nginx;
    private readonly LocalProcess? _origin;

    private GatewayBenchRig(List<IAsyncDisposable> owned, BenchRedisServer redis, InProcessGateway gateway, BareEndpoint bare, GatewayBenchFunction? function,
        NginxProxyCache? nginx, LocalProcess? origin, LoadGenerator load)
    {
        _origin = origin;
        _owned = owned;
        _redis = redis;
        _gateway = gateway;
        _bare = bare;
        _function = function;
        _nginx = nginx;
        Load = load;
        Targets = GatewayTarget.All.Where(t => t.Cpu switch
        {
            SideProcess.Function => function is not null,
            SideProcess.Origin => origin is not null,
            SideProcess.Nginx => nginx is not null,
            _ => true,
        }).ToList();
    }

    /// <summary>The one load generator every target is measured with.</summary>
    public LoadGenerator Load { get; }

    /// <summary>The targets this set-up can measure (the Lambda row only with a function, the peer's only with nginx).</summary>
    public IReadOnlyList<GatewayTarget> Targets { get; }

    public static async Task<GatewayBenchRig> StartAsync(string root, GatewayBenchSettings settings, CancellationToken cancellationToken)
    {
        AnsiConsole.MarkupLine($"[grey]starting redis-server, the gateway (in process{(settings.Telemetry ? ", with telemetry" : "")}) and the bare endpoint on loopback…[/]");
        var owned = new List<IAsyncDisposable>();
        T Own<T>(T started) where T : IAsyncDisposable
        {
            owned.Add(started);
            return started;
        }

        try
        {
            var redis = Own(await BenchRedisServer.StartAsync(cancellationToken));
            var node = Own(await ConnectionMultiplexer.ConnectAsync($"{redis.Endpoint},password={redis.Password}"));
            await StoreObjectsAsync(node.GetDatabase(), root);
            var gateway = Own(await InProcessGateway.StartAsync(root, (redis.Endpoint, redis.Password), settings.Telemetry, cancellationToken,
                tunnelPort: settings.Lambda?.TunnelPort ?? true));
            // The Lambda path's floor in another process (the function's hop), only when the run measures that path.
            var origin = settings.Lambda is not null ? Own(await LocalProcess.StartOriginAsync(cancellationToken)) : null;
            var bare = Own(await BareEndpoint.StartAsync(Bodies, node.GetDatabase(), origin?.BaseAddress, cancellationToken));
            var load = new LoadGenerator(settings.Connections);
            var nginx = await StartNginxAsync(settings, bare, Bodies, load, Own, cancellationToken);
            var function = settings.Lambda is { } lambda ? Own(await GatewayBenchFunction.StartAsync(lambda, root, gateway, Objects, cancellationToken)) : null;
            return new GatewayBenchRig(owned, redis, gateway, bare, function, nginx, origin, load);
        }
        catch
        {
            await DisposeAllAsync(owned);
            throw;
        }
    }

    /// <summary>nginx in front of the bare endpoint, warmed; null (and a note) when the run leaves it out or it is not installed.</summary>
    private static async Task<NginxProxyCache?> StartNginxAsync(GatewayBenchSettings settings, BareEndpoint bare, IReadOnlyDictionary<string, byte[]> objects,
        LoadGenerator load, Func<NginxProxyCache, NginxProxyCache> own, CancellationToken cancellationToken)
    {
        if (!settings.Nginx)
        {
            return null;
        }

        if (NginxProxyCache.Find() is not { } binary)
        {
            AnsiConsole.MarkupLine("[yellow]nginx is not installed (Debian: apt-get install nginx-light): no peer row, no P3 verdict.[/]");
            return null;
        }

        AnsiConsole.MarkupLine($"[grey]starting nginx ({Markup.Escape(binary)}) with proxy_cache in front of the bare endpoint, warming its cache…[/]");
        var nginx = own(await NginxProxyCache.StartAsync(binary, bare.BaseAddress, cancellationToken));
        await nginx.WarmAsync(load, objects, cancellationToken);
        return nginx;
    }

    public Uri Url(GatewayTarget target, string @object) =>
        new(target.Server switch
        {
            BenchServer.Gateway => _gateway.BaseAddress,
            BenchServer.Bare => _bare.BaseAddress,
            BenchServer.Nginx => _nginx!.BaseAddress,
            _ => throw new ArgumentOutOfRangeException(nameof(target), target.Server, null),
        }, $"{target.Path}/{@object}");

    /// <summary>The CPU clock of the process whose CPU <paramref name="target"/>'s row reports.</summary>
    public Func<TimeSpan> SideCpu(GatewayTarget target) => target.Cpu switch
    {
        SideProcess.RedisServer => () => _redis.CpuTime,
        SideProcess.Function => () => _function!.CpuTime,
        SideProcess.Nginx => () => _nginx!.CpuTime,
        SideProcess.Origin => () => _origin!.CpuTime,
        _ => throw new ArgumentOutOfRangeException(nameof(target), target.Cpu, null),
    };

    /// <summary>
    /// Readies the gateway for <paramref name="target"/>: the objects routed to the layer it measures; for the
    /// Lambda layer, the function checked to be serving them (invoked again if its life ended).
    /// </summary>
    public async Task PrepareAsync(GatewayTarget target, CancellationToken cancellationToken)
    {
        switch (target.Origin)
        {
            case CacheLayer.Lambda:
                await _function!.EnsureServingAsync(Load, cancellationToken);
                break;
            case { } layer:
                _gateway.Route(Objects, layer);
                break;
        }
    }

    /// <summary>One GET of every object from every target: whole bodies, from the layer each gateway row names (a hit, for the peer).</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        foreach (var target in Targets)
        {
            await PrepareAsync(target, cancellationToken);
            foreach (var @object in Objects)
            {
                var check = target.Check;
                var value = await Load.ProbeAsync(Url(target, @object), SampleObjects.All[@object].Length, cancellationToken, check?.Header ?? "Content-Origin");
                if (check is not null && value != check.Value)
                {
                    throw new InvalidOperationException($"{target.Label}: {@object} answered with {check.Header} '{value}', not {check.Value}.");
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeAllAsync(_owned);
        Load.Dispose();
    }

    /// <summary>Puts the objects on the node the way the orchestrator does.</summary>
    private static async Task StoreObjectsAsync(IDatabase node, string root)
    {
        var store = new FolderObjectStore(Options.Create(new ObjectStoreOptions { Kind = ObjectStoreKind.Folder, Root = root }));
        foreach (var key in Objects)
        {
            var metadata = await store.GetMetadataAsync(key) ?? throw new InvalidOperationException($"No {key} in {root}.");
            await CacheEntryLayout.StoreAsync(node, metadata, SampleObjects.All[key]);
        }
    }

    /// <summary>Stops what was started, the last started first.</summary>
    private static async Task DisposeAllAsync(List<IAsyncDisposable> owned)
    {
        for (var i = owned.Count - 1; i >= 0; i--)
        {
            await owned[i].DisposeAsync();
        }

        owned.Clear();
    }
}
