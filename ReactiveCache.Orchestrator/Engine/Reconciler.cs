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
/// <item>the node: a running one (the local process, the EC2 instance) is adopted; its entries are kept only for keys a
/// gateway still routes to it and whose ETag is still the store's, every other entry is deleted; a node that keeps
/// nothing is stopped. No second node is started.</item>
/// <item>the gateways report their routes, functions and node on connecting (they get no snapshot meanwhile and serve
/// on with what they have); the functions of the previous orchestrator dial their control stream again.</item>
/// <item>routes are rebuilt: a key on the adopted node stays on Redis, a key whose function dialled back stays on Lambda
/// (no second function is started for it); the policy hears each as <see cref="PolicyEventKind.KeyRestored"/>.</item>
/// </list>
/// A function found this way is not one this orchestrator invoked: its end is taken from its control stream (gone for
/// longer than <see cref="EngineOptions.FunctionRedialGrace"/>).
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
    ILogger<Reconciler> logger) : BackgroundService
{
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _adopted = new(StringComparer.Ordinal);

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

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.ReconcileWindow <= TimeSpan.Zero)
        {
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
            // Whatever went wrong, the orchestrator must not stay without routes: start from what the gateways have not.
            logger.LogError(failure, "Reconciliation failed; starting from nothing");
            gateways.CompleteReconciliation([]);
        }
        finally
        {
            _completed.TrySetResult();
        }
    }

    private async Task ReconcileAsync(DateTimeOffset started, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var findNode = FindNodeAsync(cancellationToken);

        // The gateways: as many as functions are told to tunnel into, or whoever came within the window.
        var expected = 1 + functionOptions.Value.MoreGatewayTunnelUrls.Count;
        var deadline = started + o.ReconcileWindow;
        while (gateways.Reports.Count < expected && time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }

        var reports = gateways.Reports;
        var reportedFunctions = reports.SelectMany(r => r.Functions).Select(f => f.InvocationId).ToHashSet(StringComparer.Ordinal);
        // The functions the gateways still see dial their control stream again: wait a little for those.
        var redialBy = time.GetUtcNow() + o.FunctionRedialWindow;
        while (reportedFunctions.Any(id => !functions.IsConnected(id)) && time.GetUtcNow() < redialBy)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }

        var endpoint = await findNode;
        var onNode = reports.SelectMany(r => r.Routes).Where(r => r.Layer.ToCacheLayer() == CacheLayer.Redis).Select(r => r.Key)
            .ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<string> kept = [];
        if (endpoint is not null)
        {
            // The id the gateways know it by, so that they keep their connection to it.
            var nodeId = reports.Select(r => r.CacheNode).FirstOrDefault(n => n?.Endpoint == endpoint.ToString())?.NodeId
                         ?? Guid.NewGuid().ToString("N");
            nodeCommands.Adopt(endpoint, nodeId);
            kept = await loader.AdoptAsync(endpoint, onNode, cancellationToken);
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

        foreach (var (invocationId, keys) in functions.Connected)
        {
            _adopted[invocationId] = keys;
            foreach (var key in keys)
            {
                if (routes.TryAdd(key, CacheLayer.Lambda))
                {
                    continue;
                }

                // Already on the node: the function was held while it loaded; it can go.
                functions.Shutdown(key);
            }
        }

        functions.FunctionDisconnected += OnFunctionDisconnected;
        gateways.CompleteReconciliation(routes);
        var now = time.GetUtcNow();
        foreach (var (key, layer) in routes)
        {
            inbox.Post(PolicyEvent.KeyRestored(key, layer, now));
        }

        Result = new ReconciliationView(started, now, reports.Count, endpoint?.ToString(), kept.Count,
            routes.Count(r => r.Value == CacheLayer.Lambda), _adopted.Count);
        logger.LogInformation("Reconciled in {Ms} ms: {Gateways} gateway(s) reported, node {Node}, {Redis} keys on it, {Lambda} on functions",
            (long)(now - started).TotalMilliseconds, reports.Count, endpoint?.ToString() ?? "none", kept.Count, Result.LambdaKeys);
    }

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
/// What a starting orchestrator rebuilt: when it started and finished, how many gateways reported, the node it adopted
/// (if any) and how many keys it kept there, the keys and functions it took over.
/// </summary>
public sealed record ReconciliationView(DateTimeOffset Started, DateTimeOffset Completed, int GatewaysReported, string? AdoptedNode, int RedisKeys,
    int LambdaKeys, int Functions)
{
    public double Milliseconds => (Completed - Started).TotalMilliseconds;
}
