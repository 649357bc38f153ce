using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Routing;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.Functions;
using ReactiveCache.Orchestrator.Gateways;
using FunctionOptions = ReactiveCache.Orchestrator.Functions.FunctionOptions;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>
/// A (re)started orchestrator rebuilds from what is really there instead of starting from nothing, before the policy
/// handles its first event:
/// <list type="number">
/// <item>the gateways report their routes, functions and node on connecting; they get no snapshot meanwhile and serve on
/// with what they have. The wait ends as soon as every expected gateway reported (each report wakes it) and at the latest
/// <see cref="EngineOptions.ReconcileWindow"/> after the server began to listen (before that no link can come back).
/// The functions the gateways report get <see cref="EngineOptions.FunctionRedialWindow"/> to dial their control stream again.</item>
/// <item>the node: a running one (the local process, the EC2 instance) is adopted; its entries are kept only for keys a
/// gateway still routes to it (every entry when no gateway reported) and whose ETag is still the store's, every other
/// entry is deleted; a node that keeps nothing is stopped. No second node is started.</item>
/// <item>routes are rebuilt: a key on the adopted node stays on Redis, a key whose function dialled back stays on Lambda
/// (no second function is started for it); the policy hears each as <see cref="PolicyEventKind.KeyRestored"/>.</item>
/// </list>
/// The first table it publishes is therefore never emptier than what is really there: a gateway that reports late
/// (after the window) gets the node's current keys and the connected functions' keys, not an empty table.
/// A function found this way is not one this orchestrator invoked: its end is taken from its control stream (gone for
/// longer than <see cref="EngineOptions.FunctionRedialGrace"/>). One that dials only after the reconciliation is
/// <see cref="LateFunctions"/>' to adopt or send away.
/// </summary>
public sealed class Reconciler(
    GatewaySessions gateways,
    ICacheNode node,
    NodeCommands nodeCommands,
    NodeLoader loader,
    NodeWorkQueue nodeWork,
    FunctionControlHub functions,
    PolicyInbox inbox,
    TimeProvider time,
    IOptions<EngineOptions> options,
    IOptions<FunctionOptions> functionOptions,
    ILogger<Reconciler> logger,
    IHostApplicationLifetime? lifetime = null) : BackgroundService
{
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _adopted = new(StringComparer.Ordinal);
    private readonly Lock _takeOver = new();
    private bool _functionsTaken;

    /// <summary>Completes once the reconciliation is done (at once when there is none).</summary>
    public Task Completed => _completed.Task;

    /// <summary>What the last reconciliation found and how long it took (null before it ended).</summary>
    public ReconciliationView? Result { get; private set; }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the links are served: a gateway that connects must report, not get an empty snapshot.
        if (options.Value.ReconcileWindow > TimeSpan.Zero)
        {
            gateways.BeginReconciliation();
        }

        // Only the functions taken over are watched (see OnFunctionDisconnected): at reconciliation, or later (LateFunctions).
        functions.FunctionDisconnected += OnFunctionDisconnected;
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.ReconcileWindow <= TimeSpan.Zero)
        {
            lock (_takeOver)
            {
                _functionsTaken = true;
            }

            _completed.TrySetResult();
            return;
        }

        var started = time.GetUtcNow();
        try
        {
            await ReconcileAsync(started, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception failure)
        {
            // Whatever went wrong, the orchestrator must not stay without routes; it publishes what it knows for sure
            // (the functions connected now), never an empty table over the gateways' routes when it knows more.
            logger.LogError(failure, "Reconciliation failed; keeping only the keys of the functions connected now");
            gateways.CompleteReconciliation(FunctionRoutes(new Dictionary<string, CacheLayer>(StringComparer.Ordinal)));
        }
        finally
        {
            _completed.TrySetResult();
        }
    }

    /// <summary>Completes when the server listens (the links can only come back from then on); at once without a host.</summary>
    private Task ListeningAsync(CancellationToken cancellationToken)
    {
        if (lifetime is null || lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return Task.CompletedTask;
        }

        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => listening.TrySetResult());
        return listening.Task.WaitAsync(cancellationToken);
    }

    private async Task ReconcileAsync(DateTimeOffset started, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var findNode = FindNodeAsync(cancellationToken);

        // The window is counted from when the links can be served, not from the process's start: on a loaded machine
        // the server may listen long after the hosted services started, and no gateway can report before it does.
        await ListeningAsync(cancellationToken);
        var listening = time.GetUtcNow();

        // The gateways: as many as functions are told to tunnel into, or whoever came within the window. Each report
        // wakes the wait; the window only bounds it.
        var expected = 1 + functionOptions.Value.MoreGatewayTunnelUrls.Count;
        await gateways.WaitForReportsAsync(expected, o.ReconcileWindow, time, cancellationToken);

        // The functions the gateways still see dial their control stream again: wait a little for those (woken by each).
        await FunctionsRedialledAsync(gateways.Reports.SelectMany(r => r.Functions).Select(f => f.InvocationId), o.FunctionRedialWindow,
            cancellationToken);

        var endpoint = await findNode;
        var reports = gateways.Reports;
        // With no gateway report, the node's own entries are the truth: every current one is kept (and routed to it).
        IReadOnlyCollection<string>? onNode = reports.Count == 0
            ? null
            : reports.SelectMany(r => r.Routes).Where(r => r.Layer.ToCacheLayer() == CacheLayer.Redis).Select(r => r.Key)
                .ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<string> kept = [];
        if (endpoint is not null)
        {
            // The id the gateways know it by, so that they keep their connection to it.
            var nodeId = reports.Select(r => r.CacheNode).FirstOrDefault(n => n?.Endpoint == endpoint.ToString())?.NodeId
                         ?? Guid.NewGuid().ToString("N");
            nodeCommands.Adopt(endpoint, nodeId);
            kept = await AdoptNodeAsync(endpoint, onNode, cancellationToken);
            if (kept.Count == 0)
            {
                logger.LogInformation("The adopted node at {Endpoint} holds nothing routed to it: stopping it", endpoint);
                nodeWork.Enqueue(PolicyCommandKind.StopNode, "", nodeCommands.StopAsync);
            }
        }

        var routes = new Dictionary<string, CacheLayer>(StringComparer.Ordinal);
        foreach (var key in kept)
        {
            routes[key] = CacheLayer.Redis;
        }

        routes = FunctionRoutes(routes);
        gateways.CompleteReconciliation(routes);
        var now = time.GetUtcNow();
        foreach (var (key, layer) in routes)
        {
            inbox.Post(PolicyEvent.KeyRestored(key, layer, now));
        }

        Result = new ReconciliationView(started, listening, now, reports.Count, endpoint?.ToString(), kept.Count,
            routes.Count(r => r.Value == CacheLayer.Lambda), _adopted.Count);
        logger.LogInformation(
            "Reconciled in {Ms} ms ({ListenMs} ms of it before the server listened): {Gateways} gateway(s) reported, node {Node}, {Redis} keys on it, {Lambda} on functions",
            (long)(now - started).TotalMilliseconds, (long)(listening - started).TotalMilliseconds, reports.Count, endpoint?.ToString() ?? "none",
            kept.Count, Result.LambdaKeys);
    }

    /// <summary>Completes when every one of <paramref name="invocationIds"/> has its control stream open, or after <paramref name="window"/>.</summary>
    private async Task FunctionsRedialledAsync(IEnumerable<string> invocationIds, TimeSpan window, CancellationToken cancellationToken)
    {
        var awaited = invocationIds.ToHashSet(StringComparer.Ordinal);
        var allBack = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(string invocationId, IReadOnlyList<string> keys)
        {
            if (awaited.All(functions.IsConnected))
            {
                allBack.TrySetResult();
            }
        }

        functions.FunctionConnected += Check;
        try
        {
            Check("", []);
            await allBack.Task.WaitAsync(window, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            logger.LogInformation("Not every function the gateways reported dialled back within {Window}", window);
        }
        finally
        {
            functions.FunctionConnected -= Check;
        }
    }

    /// <summary>Keeps the node's current entries of <paramref name="keep"/> (all of them when null); a node that cannot be read keeps nothing.</summary>
    private async Task<IReadOnlyList<string>> AdoptNodeAsync(CacheNodeEndpoint endpoint, IReadOnlyCollection<string>? keep, CancellationToken cancellationToken)
    {
        try
        {
            return await loader.AdoptAsync(endpoint, keep, cancellationToken);
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(failure, "Could not read the running node at {Endpoint}; nothing kept on it", endpoint);
            return [];
        }
    }

    /// <summary>
    /// Adds the keys of the functions connected now to <paramref name="routes"/> on Lambda and takes those functions
    /// over; a function whose key is already on the node was held while it loaded, and is told to go.
    /// </summary>
    private Dictionary<string, CacheLayer> FunctionRoutes(Dictionary<string, CacheLayer> routes)
    {
        // Under the lock: a function that connects meanwhile is either taken here or, after, found late (Claims).
        lock (_takeOver)
        {
            _functionsTaken = true;
            foreach (var (invocationId, keys) in functions.Connected)
            {
                _adopted[invocationId] = keys;
                foreach (var key in keys)
                {
                    if (!routes.TryAdd(key, CacheLayer.Lambda) && routes[key] == CacheLayer.Redis)
                    {
                        functions.Shutdown(key);
                    }
                }
            }
        }

        return routes;
    }

    /// <summary>
    /// Whether the reconciliation has (or will have) the function <paramref name="invocationId"/>: it connected before the
    /// reconciliation took the connected functions over, or was taken over. False for a function that dials later.
    /// </summary>
    public bool Claims(string invocationId)
    {
        lock (_takeOver)
        {
            return !_functionsTaken || _adopted.ContainsKey(invocationId);
        }
    }

    /// <summary>Takes over a function found after the reconciliation (see <see cref="LateFunctions"/>): its end is its control stream's.</summary>
    public void TakeOver(string invocationId, IReadOnlyList<string> keys) => _adopted[invocationId] = keys;

    private async Task<CacheNodeEndpoint?> FindNodeAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await node.FindRunningAsync(cancellationToken);
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(failure, "Could not tell whether a cache node runs; none adopted");
            return null;
        }
    }

    /// <summary>A function found at reconciliation lost its control stream: unless it dials again soon, it has ended.</summary>
    private void OnFunctionDisconnected(string invocationId)
    {
        if (!_adopted.ContainsKey(invocationId))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            await Task.Delay(options.Value.FunctionRedialGrace, time);
            if (!functions.IsConnected(invocationId) && _adopted.TryRemove(invocationId, out var keys))
            {
                foreach (var key in keys)
                {
                    inbox.Post(PolicyEvent.FunctionEnded(key, time.GetUtcNow()));
                }
            }
        });
    }
}

/// <summary>
/// What a starting orchestrator rebuilt: when it started, when its server listened (the window starts there) and when it
/// finished, how many gateways reported, the node it adopted (if any) and how many keys it kept there, the keys and
/// functions it took over.
/// </summary>
public sealed record ReconciliationView(DateTimeOffset Started, DateTimeOffset Listening, DateTimeOffset Completed, int GatewaysReported, string? AdoptedNode, int RedisKeys,
    int LambdaKeys, int Functions)
{
    public double Milliseconds => (Completed - Started).TotalMilliseconds;
}
