using System.Threading.Channels;
using ReactiveCache.Core.Link;
using ReactiveCache.Core.Routing;
using NodeMessage = ReactiveCache.Core.Link.CacheNode;
using ReactiveCache.Domain;

namespace ReactiveCache.Orchestrator.Gateways;

/// <summary>
/// The orchestrator's side of every gateway link: the authoritative route table, the cache node the
/// gateways read from, one outbox per connected gateway, and drains waiting for their acks.
/// A gateway that connects gets the node and a snapshot; every change after that reaches every
/// gateway as a delta, in order (the snapshot and the registration happen under one lock). Each gateway acks the
/// route versions it applied (<see cref="WaitForRouteVersionAsync"/>). While a restarted orchestrator reconciles
/// (<see cref="BeginReconciliation"/>) gateways that connect report what they hold and get their node and snapshot
/// only once it is done (<see cref="CompleteReconciliation"/>); they serve on with their own routes meanwhile.
/// </summary>
public sealed class GatewaySessions
{
    private readonly ILogger<GatewaySessions> _logger;
    private readonly Lock _lock = new();
    private readonly RouteTable _routes = new();
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingDrain> _drains = new(StringComparer.Ordinal);
    private readonly List<DrainRecord> _history = [];
    private readonly List<VersionWaiter> _versionWaiters = [];
    private readonly List<ReportWaiter> _reportWaiters = [];
    private readonly Dictionary<string, Hello> _reports = new(StringComparer.Ordinal);
    private NodeMessage _node = new();
    private bool _reconciling;
    private long _eventsDropped;
    private long _refused;
    private long _overflowed;

    public GatewaySessions(ILogger<GatewaySessions> logger)
    {
        _logger = logger;
        Events = Channel.CreateBounded<RequestEvent>(
            new BoundedChannelOptions(EventCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _eventsDropped));
    }

    /// <summary>Request events waiting for the policy engine, at most: past it the oldest are dropped (and counted).</summary>
    public const int EventCapacity = 100_000;

    /// <summary>Messages waiting for one gateway, at most: a gateway that falls this far behind is cut off and resynchronises from a snapshot.</summary>
    public const int OutboxCapacity = 65_536;

    /// <summary>Request events from every gateway, for the engine's <c>GatewayEventPump</c> (bounded: <see cref="EventCapacity"/>).</summary>
    public Channel<RequestEvent> Events { get; }

    /// <summary>Request events dropped because the policy engine fell <see cref="EventCapacity"/> behind.</summary>
    public long EventsDropped => Interlocked.Read(ref _eventsDropped);

    /// <summary>Link attempts refused because the peer did not prove it holds the link secret.</summary>
    public long RefusedLinks => Interlocked.Read(ref _refused);

    /// <summary>Sessions cut off because their gateway fell <see cref="OutboxCapacity"/> messages behind.</summary>
    public long OverflowedSessions => Interlocked.Read(ref _overflowed);

    /// <summary>A request event from a gateway, for the policy engine.</summary>
    internal void Post(RequestEvent e) => Events.Writer.TryWrite(e);

    internal void Refused() => Interlocked.Increment(ref _refused);

    public RouteTableSnapshot Routes => _routes.Current;

    public IReadOnlyList<string> ConnectedGateways
    {
        get
        {
            lock (_lock)
            {
                return [.. _sessions.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Every drain so far: who was asked, who acked when, and when it ended.</summary>
    public IReadOnlyList<DrainRecord> Drains
    {
        get
        {
            lock (_lock)
            {
                return [.. _history.Select(d => d with { Acks = new Dictionary<string, DateTimeOffset>(d.Acks) })];
            }
        }
    }

    /// <summary>Whether a restarted orchestrator is still rebuilding from the gateways' reports.</summary>
    public bool Reconciling
    {
        get
        {
            lock (_lock)
            {
                return _reconciling;
            }
        }
    }

    /// <summary>What each gateway reported when it connected during the reconciliation (routes, functions, node).</summary>
    public IReadOnlyList<Hello> Reports
    {
        get
        {
            lock (_lock)
            {
                return [.. _reports.Values];
            }
        }
    }

    /// <summary>
    /// Completes once <paramref name="count"/> gateways have reported during the reconciliation (true), or after
    /// <paramref name="timeout"/> on <paramref name="time"/>'s clock (false). Woken by each report, not by polling.
    /// </summary>
    public async Task<bool> WaitForReportsAsync(int count, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ReportWaiter waiter;
        lock (_lock)
        {
            if (_reports.Count >= count)
            {
                return true;
            }

            waiter = new ReportWaiter(count);
            _reportWaiters.Add(waiter);
        }

        try
        {
            await waiter.Done.Task.WaitAsync(timeout, time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            lock (_lock)
            {
                _reportWaiters.Remove(waiter);
            }
        }
    }

    /// <summary>
    /// From now until <see cref="CompleteReconciliation"/>, gateways that connect report and wait: no node, no snapshot
    /// (which would wipe the routes they serve with) until the orchestrator knows what to send.
    /// </summary>
    public void BeginReconciliation()
    {
        lock (_lock)
        {
            _reconciling = true;
        }
    }

    /// <summary>
    /// Ends the reconciliation: the route table becomes <paramref name="routes"/> at a version above every version the
    /// gateways reported (so that theirs never look newer), and every gateway gets the node and its snapshot.
    /// </summary>
    public void CompleteReconciliation(IEnumerable<KeyValuePair<string, CacheLayer>> routes)
    {
        lock (_lock)
        {
            var version = Math.Max(_routes.Version, _reports.Values.Select(h => h.RouteVersion).DefaultIfEmpty(0UL).Max()) + 1;
            _routes.Replace(version, routes);
            _reconciling = false;
            foreach (var session in _sessions.Values)
            {
                SendWelcome(session);
            }
        }

        _logger.LogInformation("Reconciled: {Count} routes at version {Version}", _routes.Current.Count, _routes.Version);
    }

    /// <summary>Registers a gateway's session; its outbox starts with the node and a full snapshot (after a reconciliation).</summary>
    internal Session Open(Hello hello)
    {
        var session = new Session(hello.GatewayId, hello.InstanceId, OnOverflow);
        lock (_lock)
        {
            if (_sessions.Remove(hello.GatewayId, out var previous))
            {
                previous.Close();
            }

            _sessions[hello.GatewayId] = session;
            if (_reconciling)
            {
                _reports[hello.GatewayId] = hello.Clone();
                foreach (var waiter in _reportWaiters.Where(w => _reports.Count >= w.Count))
                {
                    waiter.Done.TrySetResult();
                }
            }
            else
            {
                SendWelcome(session);
            }
        }

        _logger.LogInformation("Gateway {Gateway} connected (instance {Instance}, holds route version {Version})",
            hello.GatewayId, hello.InstanceId, hello.RouteVersion);
        return session;
    }

    /// <summary>The node, the snapshot and any drain this gateway has not acked yet (under the lock).</summary>
    private void SendWelcome(Session session)
    {
        session.Send(new OrchestratorMessage { CacheNode = _node.Clone() });
        session.Send(new OrchestratorMessage { Snapshot = _routes.Current.ToWire() });
        // A drain this gateway has not acked yet is asked again on its new session.
        foreach (var drain in _drains.Values.Where(d => d.Waiting.Contains(session.GatewayId)))
        {
            session.Send(new OrchestratorMessage { Drain = drain.Request.Clone() });
        }
    }

    internal void Close(Session session)
    {
        lock (_lock)
        {
            if (_sessions.TryGetValue(session.GatewayId, out var current) && current == session)
            {
                _sessions.Remove(session.GatewayId);
            }

            // A gateway that left holds nobody's shutdown back.
            CheckVersionWaiters();
        }

        session.Close();
        _logger.LogInformation("Gateway {Gateway} disconnected", session.GatewayId);
    }

    /// <summary>Sets (or with <see cref="CacheLayer.S3"/> removes) one key's route on every gateway.</summary>
    public void SetRoute(string key, CacheLayer layer) => Change([KeyValuePair.Create(key, layer)], []);

    public void RemoveRoute(string key) => Change([], [key]);

    /// <summary>Names the cache node the gateways read Redis routes from (null: none).</summary>
    public void SetNode(string? nodeId, string? endpoint)
    {
        lock (_lock)
        {
            _node = new NodeMessage { NodeId = nodeId ?? "", Endpoint = endpoint ?? "" };
            Broadcast(new OrchestratorMessage { CacheNode = _node.Clone() });
        }
    }

    /// <summary>
    /// Asks every connected gateway to stop reading from the node and waits for each ack (a gateway
    /// that reconnects meanwhile is asked again). Gives up on gateways silent past <paramref name="timeout"/>:
    /// a gateway that cannot be reached cannot be told, and the node's stop must not wait forever.
    /// </summary>
    public async Task DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        PendingDrain drain;
        lock (_lock)
        {
            drain = new PendingDrain(new DrainRequest { DrainId = Guid.NewGuid().ToString("N"), NodeId = _node.NodeId },
                [.. _sessions.Keys]);
            if (drain.Waiting.Count == 0)
            {
                return;
            }

            _drains[drain.Request.DrainId] = drain;
            _history.Add(new DrainRecord(drain.Request.DrainId, drain.Request.NodeId, DateTimeOffset.UtcNow, [.. drain.Waiting.Order(StringComparer.Ordinal)],
                new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal), null));
            Broadcast(new OrchestratorMessage { Drain = drain.Request.Clone() });
        }

        _logger.LogInformation("Draining {Count} gateway(s) from node {Node}", drain.Waiting.Count, drain.Request.NodeId);
        try
        {
            await drain.Done.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Drain {Drain}: no ack from {Gateways} within {Timeout}", drain.Request.DrainId, string.Join(", ", drain.Waiting), timeout);
        }
        finally
        {
            lock (_lock)
            {
                _drains.Remove(drain.Request.DrainId);
                var index = _history.FindIndex(d => d.DrainId == drain.Request.DrainId);
                _history[index] = _history[index] with { Ended = DateTimeOffset.UtcNow };
            }
        }
    }

    /// <summary>A gateway applied a snapshot or a delta: it now holds <paramref name="ack"/>'s version.</summary>
    internal void Acknowledge(Session session, RouteAck ack)
    {
        lock (_lock)
        {
            if (ack.Version > session.AckedVersion)
            {
                session.AckedVersion = ack.Version;
            }

            CheckVersionWaiters();
        }
    }

    /// <summary>
    /// Completes once every connected gateway has acknowledged route version <paramref name="version"/> (or a later
    /// one), or after <paramref name="timeout"/>: false then. Gateways that disconnect meanwhile are not waited for.
    /// </summary>
    public async Task<bool> WaitForRouteVersionAsync(ulong version, TimeSpan timeout, CancellationToken cancellationToken)
    {
        VersionWaiter waiter;
        lock (_lock)
        {
            if (AllHold(version))
            {
                return true;
            }

            waiter = new VersionWaiter(version);
            _versionWaiters.Add(waiter);
        }

        try
        {
            await waiter.Done.Task.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Route version {Version}: not every gateway acknowledged it within {Timeout}", version, timeout);
            return false;
        }
        finally
        {
            lock (_lock)
            {
                _versionWaiters.Remove(waiter);
            }
        }
    }

    private bool AllHold(ulong version) => _sessions.Values.All(s => s.AckedVersion >= version);

    private void CheckVersionWaiters()
    {
        foreach (var waiter in _versionWaiters)
        {
            if (AllHold(waiter.Version))
            {
                waiter.Done.TrySetResult();
            }
        }
    }

    internal void Acknowledge(Session session, DrainAck ack)
    {
        lock (_lock)
        {
            if (_drains.TryGetValue(ack.DrainId, out var drain) && drain.Waiting.Remove(session.GatewayId))
            {
                _history.Find(d => d.DrainId == ack.DrainId)?.Acks.TryAdd(session.GatewayId, DateTimeOffset.UtcNow);
                if (drain.Waiting.Count == 0)
                {
                    drain.Done.TrySetResult();
                }
            }
        }
    }

    private void Change(IReadOnlyList<KeyValuePair<string, CacheLayer>> upserts, IReadOnlyList<string> removals)
    {
        lock (_lock)
        {
            var before = _routes.Current;
            if (!_routes.TryApply(before.Version, before.Version + 1, upserts, removals))
            {
                throw new InvalidOperationException("The orchestrator's route table changed outside its lock.");
            }

            Broadcast(new OrchestratorMessage { Delta = LinkConversions.DeltaBetween(before, _routes.Current) });
        }
    }

    private void Broadcast(OrchestratorMessage message)
    {
        foreach (var session in _sessions.Values)
        {
            session.Send(message.Clone());
        }
    }

    private void OnOverflow(Session session)
    {
        Interlocked.Increment(ref _overflowed);
        _logger.LogWarning("Gateway {Gateway} fell {Count} messages behind: its session is closed (it reconnects for a snapshot)", session.GatewayId, OutboxCapacity);
    }

    /// <summary>
    /// One gateway's connection: what is to be written to it, in order. Bounded: a message that finds the outbox full
    /// ends the session (its stream closes once the queue is written) rather than being dropped, which would leave the
    /// gateway's routes out of step without it knowing; the gateway reconnects and gets a snapshot.
    /// </summary>
    internal sealed class Session(string gatewayId, string instanceId, Action<Session> overflowed)
    {
        private readonly Channel<OrchestratorMessage> _outbox = Channel.CreateBounded<OrchestratorMessage>(
            new BoundedChannelOptions(OutboxCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

        public string GatewayId { get; } = gatewayId;

        public string InstanceId { get; } = instanceId;

        /// <summary>The last route version the gateway said it applied (under the sessions' lock).</summary>
        public ulong AckedVersion { get; set; }

        public ChannelReader<OrchestratorMessage> Outbox => _outbox.Reader;

        public void Send(OrchestratorMessage message)
        {
            if (!_outbox.Writer.TryWrite(message) && _outbox.Writer.TryComplete())
            {
                overflowed(this);
            }
        }

        public void Close() => _outbox.Writer.TryComplete();
    }

    /// <summary>One drain: the gateways asked, each one's ack time, and when it ended (all acked, or timed out).</summary>
    public sealed record DrainRecord(string DrainId, string NodeId, DateTimeOffset Requested, IReadOnlyList<string> Asked,
        Dictionary<string, DateTimeOffset> Acks, DateTimeOffset? Ended);

    private sealed record VersionWaiter(ulong Version)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record ReportWaiter(int Count)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record PendingDrain(DrainRequest Request, HashSet<string> Waiting)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
