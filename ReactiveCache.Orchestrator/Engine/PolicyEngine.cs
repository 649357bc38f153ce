using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Link;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Core.Routing;
using ReactiveCache.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.Control;
using ReactiveCache.Orchestrator.Costs;
using ReactiveCache.Orchestrator.Functions;
using ReactiveCache.Orchestrator.Gateways;
using ReactiveCache.Orchestrator.Telemetry;
using ReactiveCache.Domain;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>
/// Runs the policy live: request events from the gateways and the outcomes of its own commands go in,
/// on one thread, in order; the policy's commands come out and are executed here. Function
/// invocations run concurrently; node commands (start, load, evict, drain, stop) run one after another
/// in the order the policy gave them.
/// </summary>
public sealed class PolicyEngine(
    ICachePolicy policy,
    GatewaySessions gateways,
    CacheNodeController node,
    NodeLoader loader,
    FunctionLauncher functions,
    FunctionControlHub functionControl,
    ObjectStates states,
    CostMeter costs,
    TimeProvider time,
    IOptions<EngineOptions> options,
    ILogger<PolicyEngine> logger) : BackgroundService
{
    private readonly Channel<PolicyEvent> _events = Channel.CreateUnbounded<PolicyEvent>();
    private readonly Channel<Func<CancellationToken, Task>> _nodeWork = Channel.CreateUnbounded<Func<CancellationToken, Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<PolicyCommand> _commands = [];
    // Bounded as the projection it feeds: counters of a key at rest go with it (a flood of keys cannot grow them).
    private readonly BoundedKeyMap<ObjectStats> _stats = new(states.Bounds, static s => s.State == ObjectState.S3, time);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _pinnedToLambda = new(StringComparer.Ordinal);
    private CacheNodeEndpoint? _publishedNode;

    /// <summary>Control API: boot the node now; the policy hears NodeReady like after its own StartNode.</summary>
    public void StartNode() => Node(StartNodeAsync);

    /// <summary>Control API: drain and stop the node now; the policy hears NodeStopped.</summary>
    public void StopNode() => Node(StopNodeAsync);

    /// <summary>Control API: invoke a function for <paramref name="key"/>; the policy hears when it is ready and when it ends.</summary>
    public void StartFunction(string key, TimeSpan tick) => _ = InvokeAsync(key, tick);

    /// <summary>
    /// Control API: serve <paramref name="key"/> from <paramref name="layer"/> now, whatever the policy would
    /// do (for measurements such as <c>bench latency</c>; run the orchestrator with the <c>S3Only</c> policy
    /// so that the policy leaves the pin alone). Lambda: a function with a long life holds the key and the
    /// route switches when it is ready. Redis: the node is started if needed and the key loaded, then routed.
    /// </summary>
    public void Pin(string key, CacheLayer layer)
    {
        switch (layer)
        {
            case CacheLayer.Lambda:
                _pinnedToLambda[key] = true;
                StartFunction(key, PinnedFunctionLife);
                break;
            case CacheLayer.Redis:
                Node(async ct =>
                {
                    var endpoint = await EnsureNodeAsync(ct);
                    if (await loader.LoadAsync(endpoint, key, ct))
                    {
                        costs.ObjectLoaded();
                        gateways.SetRoute(key, CacheLayer.Redis);
                    }
                });
                break;
            default:
                if (_pinnedToLambda.TryRemove(key, out _))
                {
                    functionControl.Shutdown(key);
                }

                gateways.RemoveRoute(key);
                break;
        }
    }

    /// <summary>The life a pinned function asks for (the function timeout still ends it).</summary>
    private static readonly TimeSpan PinnedFunctionLife = TimeSpan.FromMinutes(10);

    /// <summary>Feeds an outcome (function ready or ended, node ready or stopped, object loaded) to the policy.</summary>
    public void Post(PolicyEvent e) => _events.Writer.TryWrite(e);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The function is ready when it connects its control stream (its tunnel opens at the same time).
        functionControl.FunctionConnected += keys =>
        {
            foreach (var key in keys)
            {
                if (_pinnedToLambda.ContainsKey(key))
                {
                    gateways.SetRoute(key, CacheLayer.Lambda);
                }

                Post(PolicyEvent.FunctionReady(key, time.GetUtcNow()));
            }
        };
        var pumps = Task.WhenAll(PumpGatewayEventsAsync(stoppingToken), RunNodeWorkAsync(stoppingToken));
        Task<bool>? waiting = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                waiting ??= _events.Reader.WaitToReadAsync(stoppingToken).AsTask();
                if (policy.NextDueAt is { } due)
                {
                    var delay = due - time.GetUtcNow();
                    if (delay > TimeSpan.Zero)
                    {
                        await Task.WhenAny(waiting, Task.Delay(delay, time, stoppingToken));
                    }
                }
                else
                {
                    await waiting;
                }

                if (waiting.IsCompleted)
                {
                    waiting = null;
                }

                Step();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        _nodeWork.Writer.TryComplete();
        await pumps.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>One turn: every queued event, then the periodic work that is due, then the commands.</summary>
    private void Step()
    {
        while (_events.Reader.TryRead(out var e))
        {
            policy.Handle(e, _commands);
            Record(e);
        }

        if (policy.NextDueAt is { } due && due <= time.GetUtcNow())
        {
            policy.OnDue(_commands);
        }

        for (var i = 0; i < _commands.Count; i++)
        {
            Execute(_commands[i], next: i + 1 < _commands.Count ? _commands[i + 1] : null);
        }

        foreach (var key in _commands.Select(c => c.Key).Where(k => k.Length > 0).Distinct())
        {
            Publish(key);
        }

        _commands.Clear();
    }

    private void Execute(PolicyCommand command, PolicyCommand? next)
    {
        using var activity = OrchestratorTelemetry.Source.StartActivity($"policy {command.Kind}");
        activity?.SetTag("object.key", command.Key);
        activity?.SetTag("layer", command.Layer.ToName());
        logger.LogInformation("Policy: {Command}", command);
        switch (command.Kind)
        {
            case PolicyCommandKind.InvokeFunction:
                _ = InvokeAsync(command.Key, command.Tick);
                break;
            case PolicyCommandKind.KeepRunning:
                functionControl.KeepRunning(command.Key);
                break;
            case PolicyCommandKind.ShutdownFunction:
                functionControl.Shutdown(command.Key);
                break;
            case PolicyCommandKind.SetRoute:
                gateways.SetRoute(command.Key, command.Layer);
                break;
            case PolicyCommandKind.RemoveRoute:
                gateways.RemoveRoute(command.Key);
                break;
            case PolicyCommandKind.StartNode:
                Node(StartNodeAsync);
                break;
            case PolicyCommandKind.LoadObject:
                var load = command.Key;
                Node(ct => LoadAsync(load, ct));
                break;
            case PolicyCommandKind.EvictObject:
                var evict = command.Key;
                Node(ct => node.Endpoint is { } endpoint ? loader.EvictAsync(endpoint, evict) : Task.CompletedTask);
                break;
            case PolicyCommandKind.DrainGateways:
                // A drain right before a stop is the stop's own first step (the node shows Draining meanwhile).
                if (next?.Kind != PolicyCommandKind.StopNode)
                {
                    Node(ct => gateways.DrainAsync(options.Value.DrainTimeout, ct));
                }

                break;
            case PolicyCommandKind.StopNode:
                Node(StopNodeAsync);
                break;
            default:
                logger.LogWarning("Policy command {Command} has no executor", command);
                break;
        }
    }

    private async Task InvokeAsync(string key, TimeSpan tick)
    {
        try
        {
            var invocation = await functions.InvokeAsync([key], tick, FunctionInvocationType.RequestResponse, CancellationToken.None);
            if (invocation.Result is { } result)
            {
                costs.FunctionEnded(result.LifeMs, result.Warm);
            }
            else
            {
                logger.LogWarning("The function for {Key} failed: {Status} {Error}", key, invocation.StatusCode, invocation.FunctionError);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            logger.LogError(e, "Invoking the function for {Key} failed", key);
        }
        finally
        {
            if (_pinnedToLambda.TryRemove(key, out _))
            {
                gateways.RemoveRoute(key);
            }

            Post(PolicyEvent.FunctionEnded(key, time.GetUtcNow()));
        }
    }

    private async Task StartNodeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EnsureNodeAsync(cancellationToken);
            Post(PolicyEvent.NodeReady(time.GetUtcNow()));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "The cache node did not start; the policy is told it stopped");
            Post(PolicyEvent.NodeStopped(time.GetUtcNow()));
        }
    }

    /// <summary>The running node (booted if needed), named to the gateways once per life. Runs on the node queue.</summary>
    private async Task<CacheNodeEndpoint> EnsureNodeAsync(CancellationToken cancellationToken)
    {
        var endpoint = await node.StartAsync(cancellationToken);
        if (_publishedNode != endpoint)
        {
            gateways.SetNode(Guid.NewGuid().ToString("N"), endpoint.ToString());
            _publishedNode = endpoint;
        }

        return endpoint;
    }

    private async Task LoadAsync(string key, CancellationToken cancellationToken)
    {
        if (node.Endpoint is not { } endpoint)
        {
            logger.LogWarning("Cannot load {Key}: the cache node is not running", key);
            return;
        }

        try
        {
            if (await loader.LoadAsync(endpoint, key, cancellationToken))
            {
                costs.ObjectLoaded();
                Post(PolicyEvent.ObjectLoaded(key, time.GetUtcNow()));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Loading {Key} onto the cache node failed; it stays served by its function or S3", key);
        }
    }

    private async Task StopNodeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await node.StopAsync(ct => gateways.DrainAsync(options.Value.DrainTimeout, ct), cancellationToken);
            gateways.SetNode(null, null);
            _publishedNode = null;
            await loader.ResetAsync();
            Post(PolicyEvent.NodeStopped(time.GetUtcNow()));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Stopping the cache node failed");
        }
    }

    private void Node(Func<CancellationToken, Task> work) => _nodeWork.Writer.TryWrite(work);

    private async Task RunNodeWorkAsync(CancellationToken cancellationToken)
    {
        await foreach (var work in _nodeWork.Reader.ReadAllAsync(cancellationToken))
        {
            await work(cancellationToken);
        }
    }

    private async Task PumpGatewayEventsAsync(CancellationToken cancellationToken)
    {
        await foreach (var e in gateways.Events.Reader.ReadAllAsync(cancellationToken))
        {
            // Only requests for objects that exist are demand: a 404 must not start a function.
            if (e.StatusCode is not (200 or 206 or 304))
            {
                continue;
            }

            // Backpressure: under a flood the gateways' queue (bounded, drops counted) fills, not this one.
            while (_events.Reader.Count >= GatewaySessions.EventCapacity)
            {
                await Task.Delay(1, cancellationToken);
            }

            var layer = e.ServedBy.ToCacheLayer();
            costs.Request(servedByS3: layer == CacheLayer.S3);
            Post(PolicyEvent.RequestReceived(e.Key, DateTimeOffset.FromUnixTimeMilliseconds(e.ReceivedUnixMs), layer));
        }
    }

    private void Record(in PolicyEvent e)
    {
        if (e.Key.Length == 0)
        {
            foreach (var key in policy.Keys)
            {
                Publish(key);
            }

            return;
        }

        var stats = StatsOf(e.Key);
        if (e.Kind == PolicyEventKind.RequestReceived)
        {
            stats.Requests++;
            stats.ByLayer[(int)e.Layer]++;
            stats.Last.Enqueue(e.Time);
            while (stats.Last.Count > 5)
            {
                stats.Last.Dequeue();
            }
        }

        Publish(e.Key);
    }

    private ObjectStats StatsOf(string key) => _stats.GetOrAdd(key, _ =>
    {
        var stats = new ObjectStats();
        stats.History.Add(new StateChange(ObjectState.S3.ToString(), time.GetUtcNow()));
        return stats;
    });

    private void Publish(string key)
    {
        var stats = StatsOf(key);
        var state = policy.StateOf(key);
        if (state != stats.State)
        {
            // Transitions are span events on the step that caused them, and spans of their own on the dashboard.
            Activity.Current?.AddEvent(new ActivityEvent("policy transition", tags: new ActivityTagsCollection
            {
                ["object.key"] = key,
                ["from"] = stats.State.ToString(),
                ["to"] = state.ToString(),
            }));
            using (var transition = OrchestratorTelemetry.Source.StartActivity("policy transition"))
            {
                transition?.SetTag("object.key", key);
                transition?.AddEvent(new ActivityEvent($"{stats.State} → {state}"));
            }

            logger.LogInformation("{Key}: {From} → {To}", key, stats.State, state);
            stats.State = state;
            stats.History.Add(new StateChange(state.ToString(), time.GetUtcNow()));
            if (stats.History.Count > 64)
            {
                stats.History.RemoveAt(0);
            }
        }
        states.Set(new ObjectStateView(key, stats.State.ToString(), stats.Requests,
            new Dictionary<string, long>
            {
                [CacheLayerNames.S3] = stats.ByLayer[(int)CacheLayer.S3],
                [CacheLayerNames.Lambda] = stats.ByLayer[(int)CacheLayer.Lambda],
                [CacheLayerNames.Redis] = stats.ByLayer[(int)CacheLayer.Redis],
            },
            [.. stats.Last],
            gateways.Routes.Lookup(key).ToName(),
            [.. stats.History]));
    }

    private sealed class ObjectStats
    {
        public ObjectState State { get; set; } = ObjectState.S3;

        public long Requests { get; set; }

        public long[] ByLayer { get; } = new long[3];

        public Queue<DateTimeOffset> Last { get; } = new();

        public List<StateChange> History { get; } = [];
    }
}
