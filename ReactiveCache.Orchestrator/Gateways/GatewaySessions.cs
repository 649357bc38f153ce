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
/// gateway as a delta, in order (the snapshot and the registration happen under one lock).
/// </summary>
public sealed class GatewaySessions(ILogger<GatewaySessions> logger)
{
    private readonly Lock _lock = new();
    private readonly RouteTable _routes = new();
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingDrain> _drains = new(StringComparer.Ordinal);
    private readonly List<DrainRecord> _history = [];
    private NodeMessage _node = new();

    /// <summary>Request events from every gateway, for the engine's <c>GatewayEventPump</c>.</summary>
    public Channel<RequestEvent> Events { get; } = Channel.CreateBounded<RequestEvent>(
        new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

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

    /// <summary>Registers a gateway's session; its outbox starts with the node and a full snapshot.</summary>
    internal Session Open(Hello hello)
    {
        var session = new Session(hello.GatewayId, hello.InstanceId);
        lock (_lock)
        {
            if (_sessions.Remove(hello.GatewayId, out var previous))
            {
                previous.Close();
            }

            _sessions[hello.GatewayId] = session;
            session.Send(new OrchestratorMessage { CacheNode = _node.Clone() });
            session.Send(new OrchestratorMessage { Snapshot = _routes.Current.ToWire() });
            // A drain this gateway has not acked yet is asked again on its new session.
            foreach (var drain in _drains.Values.Where(d => d.Waiting.Contains(hello.GatewayId)))
            {
                session.Send(new OrchestratorMessage { Drain = drain.Request.Clone() });
            }
        }

        logger.LogInformation("Gateway {Gateway} connected (instance {Instance}, holds route version {Version})",
            hello.GatewayId, hello.InstanceId, hello.RouteVersion);
        return session;
    }

    internal void Close(Session session)
    {
        lock (_lock)
        {
            if (_sessions.TryGetValue(session.GatewayId, out var current) && current == session)
            {
                _sessions.Remove(session.GatewayId);
            }
        }

        session.Close();
        logger.LogInformation("Gateway {Gateway} disconnected", session.GatewayId);
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

        logger.LogInformation("Draining {Count} gateway(s) from node {Node}", drain.Waiting.Count, drain.Request.NodeId);
        try
        {
            await drain.Done.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Drain {Drain}: no ack from {Gateways} within {Timeout}", drain.Request.DrainId, string.Join(", ", drain.Waiting), timeout);
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

    /// <summary>One gateway's connection: what is to be written to it, in order.</summary>
    internal sealed class Session(string gatewayId, string instanceId)
    {
        private readonly Channel<OrchestratorMessage> _outbox = Channel.CreateUnbounded<OrchestratorMessage>(new UnboundedChannelOptions { SingleReader = true });

        public string GatewayId { get; } = gatewayId;

        public string InstanceId { get; } = instanceId;

        public ChannelReader<OrchestratorMessage> Outbox => _outbox.Reader;

        public void Send(OrchestratorMessage message) => _outbox.Writer.TryWrite(message);

        public void Close() => _outbox.Writer.TryComplete();
    }

    /// <summary>One drain: the gateways asked, each one's ack time, and when it ended (all acked, or timed out).</summary>
    public sealed record DrainRecord(string DrainId, string NodeId, DateTimeOffset Requested, IReadOnlyList<string> Asked,
        Dictionary<string, DateTimeOffset> Acks, DateTimeOffset? Ended);

    private sealed record PendingDrain(DrainRequest Request, HashSet<string> Waiting)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
