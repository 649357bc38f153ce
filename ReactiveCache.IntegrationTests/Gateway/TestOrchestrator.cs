using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using ReactiveCache.Core.Link;
using ReactiveCache.Core.Routing;
using WireCacheNode = ReactiveCache.Core.Link.CacheNode;
using ReactiveCache.Domain;

namespace ReactiveCache.IntegrationTests.Gateway;

/// <summary>
/// A test orchestrator implementing the real <c>GatewayLink</c> gRPC service: sends the node and a snapshot
/// on connect, pushes deltas, node changes and drains to every connected gateway, records what gateways send,
/// and can drop every stream (as a crashed orchestrator or a broken network would).
/// </summary>
public sealed class TestOrchestrator : GatewayLink.GatewayLinkBase
{
    private readonly Lock _lock = new();
    private readonly List<Session> _sessions = [];
    private RouteTableSnapshot _routes = RouteTableSnapshot.Empty;
    private WireCacheNode? _node;

    /// <summary>The link secret it proves and checks (give it to the gateway as <c>OrchestratorLink:Secret</c>); null: it proves nothing.</summary>
    public byte[]? Secret { get; init; } = System.Text.Encoding.UTF8.GetBytes(TestSecret);

    /// <summary>The link secret of every test orchestrator, for the gateways the tests start.</summary>
    public const string TestSecret = "a-test-gateway-link-secret-of-at-least-32-characters";

    public ConcurrentQueue<Hello> Hellos { get; } = new();

    private int _calls;

    /// <summary>Link calls opened, authenticated or not.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public ConcurrentQueue<RequestEvent> Events { get; } = new();

    public Channel<DrainAck> DrainAcks { get; } = Channel.CreateUnbounded<DrainAck>();

    /// <summary>The route versions gateways acknowledged, in order.</summary>
    public ConcurrentQueue<ulong> RouteAcks { get; } = new();

    public int ConnectedSessions
    {
        get
        {
            lock (_lock)
            {
                return _sessions.Count;
            }
        }
    }

    public override async Task Connect(IAsyncStreamReader<GatewayMessage> requestStream, IServerStreamWriter<OrchestratorMessage> responseStream, ServerCallContext context)
    {
        Interlocked.Increment(ref _calls);
        // The real orchestrator's handshake: the gateway takes nothing from an orchestrator that has not proved itself.
        Hellos.Enqueue(await GatewayLinkHandshake.AcceptAsync(requestStream, responseStream, Secret, context.CancellationToken));
        using var dropped = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var session = new Session(responseStream, dropped);
        lock (_lock)
        {
            // Node first, then the snapshot: a Redis route is only sent once its node is known.
            if (_node is not null)
            {
                session.Enqueue(new OrchestratorMessage { CacheNode = _node.Clone() });
            }

            session.Enqueue(new OrchestratorMessage { Snapshot = _routes.ToWire() });
            _sessions.Add(session);
        }

        var writing = session.RunWriterAsync();
        try
        {
            while (await requestStream.MoveNext(dropped.Token))
            {
                var message = requestStream.Current;
                switch (message.KindCase)
                {
                    case GatewayMessage.KindOneofCase.Events:
                        foreach (var e in message.Events.Events)
                        {
                            Events.Enqueue(e);
                        }

                        break;
                    case GatewayMessage.KindOneofCase.DrainAck:
                        await DrainAcks.Writer.WriteAsync(message.DrainAck);
                        break;
                    case GatewayMessage.KindOneofCase.RouteAck:
                        RouteAcks.Enqueue(message.RouteAck.Version);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (dropped.IsCancellationRequested)
        {
            // Dropped by the test: break the HTTP/2 stream like a crash would.
            context.GetHttpContext().Abort();
        }
        finally
        {
            lock (_lock)
            {
                _sessions.Remove(session);
            }

            session.Complete();
            await writing;
        }
    }

    /// <summary>Sets routes (layer S3 removes the route) and sends the delta to every gateway; returns the new version.</summary>
    public ulong SetRoutes(params (string Key, CacheLayer Layer)[] routes)
    {
        lock (_lock)
        {
            var baseVersion = _routes.Version;
            var version = baseVersion + 1;
            _routes = _routes.With(version, routes.Select(r => KeyValuePair.Create(r.Key, r.Layer)), []);
            var delta = new RouteDelta { BaseVersion = baseVersion, Version = version };
            foreach (var (key, layer) in routes)
            {
                if (layer == CacheLayer.S3)
                {
                    delta.Removals.Add(key);
                }
                else
                {
                    delta.Upserts.Add(new Route { Key = key, Layer = layer.ToWire() });
                }
            }

            Broadcast(new OrchestratorMessage { Delta = delta });
            return version;
        }
    }

    /// <summary>Names the cache node (empty endpoint: none) to every gateway, now and on every connect.</summary>
    public void SetNode(string nodeId, string endpoint)
    {
        lock (_lock)
        {
            _node = new WireCacheNode { NodeId = nodeId, Endpoint = endpoint };
            Broadcast(new OrchestratorMessage { CacheNode = _node.Clone() });
        }
    }

    public void RequestDrain(string drainId, string nodeId)
    {
        lock (_lock)
        {
            Broadcast(new OrchestratorMessage { Drain = new DrainRequest { DrainId = drainId, NodeId = nodeId } });
        }
    }

    /// <summary>Sends a message as it is to every gateway (to test how a gateway takes odd input).</summary>
    public void SendRaw(OrchestratorMessage message)
    {
        lock (_lock)
        {
            Broadcast(message);
        }
    }

    /// <summary>Breaks every gateway's stream.</summary>
    public void DropStreams()
    {
        lock (_lock)
        {
            foreach (var session in _sessions)
            {
                session.Drop();
            }
        }
    }

    private void Broadcast(OrchestratorMessage message)
    {
        foreach (var session in _sessions)
        {
            session.Enqueue(message);
        }
    }

    private sealed class Session(IServerStreamWriter<OrchestratorMessage> stream, CancellationTokenSource dropped)
    {
        private readonly Channel<OrchestratorMessage> _outbox = Channel.CreateUnbounded<OrchestratorMessage>();

        public void Enqueue(OrchestratorMessage message) => _outbox.Writer.TryWrite(message);

        public void Complete() => _outbox.Writer.TryComplete();

        public void Drop() => dropped.Cancel();

        public async Task RunWriterAsync()
        {
            try
            {
                await foreach (var message in _outbox.Reader.ReadAllAsync(dropped.Token))
                {
                    await stream.WriteAsync(message, dropped.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
            {
                // The stream is gone.
            }
        }
    }
}
