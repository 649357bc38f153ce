using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using ReactiveCache.Core.Link;
using ReactiveCache.Core.Routing;
using ReactiveCache.Domain;
using ReactiveCache.Gateway.CacheNode;
using ReactiveCache.Gateway.Layers;
using ReactiveCache.Gateway.Telemetry;

namespace ReactiveCache.Gateway.Routing;

/// <summary>
/// The gateway's end of the link to the orchestrator (contract: Core's <c>gateway_link.proto</c>): one
/// long-lived bidirectional stream. Says hello, applies the route snapshot and deltas, follows the cache
/// node, answers drain requests, acks the route versions it applies, and streams batched request events. When the
/// stream drops the gateway keeps serving with the routes it has and reconnects with exponential backoff (Polly);
/// its Hello reports its routes, its functions and its node, so that a restarted orchestrator rebuilds from them.
/// </summary>
public sealed partial class OrchestratorLink(
    IOptions<OrchestratorLinkOptions> options,
    RouteTable routes,
    CacheNodeConnection node,
    RequestEventQueue events,
    GatewayTelemetry telemetry,
    ILogger<OrchestratorLink> logger,
    ILambdaLayer? lambda = null) : BackgroundService
{
    private readonly OrchestratorLinkOptions _options = options.Value;
    private readonly string _instanceId = Guid.NewGuid().ToString("N");
    private readonly byte[] _secret = GatewayLinkHandshake.SecretBytes(options.Value.Secret) ?? [];
    private int _sessions;
    private volatile bool _connected;

    /// <summary>Whether a session with the orchestrator is established now.</summary>
    public bool IsConnected => _connected;

    /// <summary>Sessions established since start (a reconnect makes one more).</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            LogDisabled();
            return;
        }

        using var channel = GrpcChannel.ForAddress(_options.Address!, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(5),
                KeepAlivePingDelay = TimeSpan.FromSeconds(15),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            },
        });
        var client = new GatewayLink.GatewayLinkClient(channel);
        var reconnect = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(_options.ReconnectMinDelayMs),
                MaxDelay = TimeSpan.FromMilliseconds(_options.ReconnectMaxDelayMs),
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => !stoppingToken.IsCancellationRequested),
                OnRetry = args =>
                {
                    LogConnectFailed(args.Outcome.Exception?.Message ?? "stream ended", args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Retries with backoff until a session is established; returns when that session ends.
                await reconnect.ExecuteAsync(static (state, ct) => new ValueTask(state.self.RunSessionAsync(state.client, ct)),
                    (self: this, client), stoppingToken);
                await Task.Delay(_options.ReconnectMinDelayMs, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>One session. Throws when none could be established (so the caller backs off); returns when an established one ends.</summary>
    private async Task RunSessionAsync(GatewayLink.GatewayLinkClient client, CancellationToken stoppingToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var call = client.Connect(cancellationToken: session.Token);
        var writer = new SessionWriter(call.RequestStream);
        var hello = Hello();
        await writer.WriteAsync(new GatewayMessage { Hello = hello }, session.Token);
        try
        {
            // Nothing from the stream is applied before the orchestrator proved it holds the link secret.
            await GatewayLinkHandshake.AuthenticateAsync(call.ResponseStream, writer.WriteAsync, _secret, hello, session.Token);
        }
        catch (System.Security.Authentication.AuthenticationException e)
        {
            LogNotAuthenticated(_options.Address!, e.Message);
            throw;
        }

        var established = false;
        Task? sending = null;
        try
        {
            await foreach (var message in call.ResponseStream.ReadAllAsync(session.Token))
            {
                if (!established)
                {
                    established = true;
                    _connected = true;
                    Interlocked.Increment(ref _sessions);
                    telemetry.LinkSessionEstablished();
                    LogConnected(_options.Address!, _options.GatewayId);
                    sending = SendEventsAsync(writer, session.Token);
                }

                if (!Apply(message, writer, session.Token))
                {
                    LogRouteGap(routes.Version);
                    break;
                }

                if (message.KindCase is OrchestratorMessage.KindOneofCase.Snapshot or OrchestratorMessage.KindOneofCase.Delta)
                {
                    // The orchestrator shuts a key's function down once every gateway has acked the version that moves the
                    // key to the node: a version that routes keys to the node is acked once the node is connected (or not
                    // within CacheNode:ConnectTimeoutMs of being named). Acked at once, a read in the meantime found
                    // neither the node (still connecting) nor the function (shut down) and went to S3.
                    if (RoutesToNode(message))
                    {
                        await node.WaitForConnectionAsync(session.Token);
                    }

                    await writer.WriteAsync(new GatewayMessage { RouteAck = new RouteAck { Version = routes.Version } }, session.Token);
                }
            }

            if (established)
            {
                LogSessionEnded("the orchestrator closed the stream");
            }
        }
        catch (Exception e) when (established && e is RpcException or IOException or InvalidOperationException
                                  && !stoppingToken.IsCancellationRequested)
        {
            LogSessionEnded(e.Message);
        }
        finally
        {
            _connected = false;
            await session.CancelAsync();
            if (sending is not null)
            {
                try
                {
                    await sending;
                }
                catch (Exception e) when (e is OperationCanceledException or RpcException or IOException or InvalidOperationException)
                {
                    // The session is over; events still queued go out on the next one.
                }
            }
        }

        if (!established)
        {
            throw new IOException("The orchestrator ended the stream before sending routes.");
        }
    }

    /// <summary>Who this gateway is, and what it holds: its routes, the functions tunnelled into it, its node.</summary>
    private Hello Hello()
    {
        var current = routes.Current;
        var hello = GatewayLinkHandshake.NewHello(_options.GatewayId, _instanceId, current.Version);
        hello.Routes.AddRange(current.Routes.Select(r => r.ToWire()));
        foreach (var (invocationId, keys) in lambda?.ConnectedFunctions ?? [])
        {
            var function = new ConnectedFunction { InvocationId = invocationId };
            function.Keys.AddRange(keys);
            hello.Functions.Add(function);
        }

        if (node.Current is { } cacheNode)
        {
            hello.CacheNode = new Core.Link.CacheNode { NodeId = cacheNode.NodeId, Endpoint = cacheNode.Endpoint };
        }

        return hello;
    }

    private static bool RoutesToNode(OrchestratorMessage message) =>
        (message.KindCase == OrchestratorMessage.KindOneofCase.Snapshot ? message.Snapshot.Routes : message.Delta.Upserts)
        .Any(r => r.Layer.ToCacheLayer() == CacheLayer.Redis);

    /// <summary>Applies one message. Returns <c>false</c> when a delta does not fit the table held (resynchronise).</summary>
    private bool Apply(OrchestratorMessage message, SessionWriter writer, CancellationToken cancellationToken)
    {
        switch (message.KindCase)
        {
            case OrchestratorMessage.KindOneofCase.Snapshot:
                routes.Replace(message.Snapshot.Version, message.Snapshot.Routes.ToRoutes());
                LogSnapshot(message.Snapshot.Version, message.Snapshot.Routes.Count);
                return true;
            case OrchestratorMessage.KindOneofCase.Delta:
                var delta = message.Delta;
                return routes.TryApply(delta.BaseVersion, delta.Version, delta.Upserts.ToRoutes(), delta.Removals);
            case OrchestratorMessage.KindOneofCase.CacheNode:
                if (string.IsNullOrWhiteSpace(message.CacheNode.Endpoint))
                {
                    node.Clear();
                }
                else
                {
                    node.Use(message.CacheNode.NodeId, message.CacheNode.Endpoint);
                }

                return true;
            case OrchestratorMessage.KindOneofCase.Drain:
                _ = DrainAsync(message.Drain, writer, cancellationToken);
                return true;
            default:
                // A message kind newer than this gateway: ignore it.
                return true;
        }
    }

    private async Task DrainAsync(DrainRequest drain, SessionWriter writer, CancellationToken cancellationToken)
    {
        try
        {
            await node.DrainAsync(drain.NodeId, cancellationToken);
            await writer.WriteAsync(new GatewayMessage { DrainAck = new DrainAck { DrainId = drain.DrainId, NodeId = drain.NodeId } }, cancellationToken);
            LogDrained(drain.NodeId, drain.DrainId);
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException or IOException or InvalidOperationException)
        {
            // The session ended: the orchestrator asks again on the next one.
        }
        catch (Exception e)
        {
            // Not acked: the orchestrator's drain times out, and a later drain asks again.
            LogDrainFailed(drain.NodeId, drain.DrainId, e.Message);
        }
    }

    private async Task SendEventsAsync(SessionWriter writer, CancellationToken cancellationToken)
    {
        var reader = events.Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            if (_options.BatchDelayMs > 0)
            {
                await Task.Delay(_options.BatchDelayMs, cancellationToken);
            }

            var batch = new RequestEventBatch();
            while (batch.Events.Count < _options.MaxBatchSize && reader.TryRead(out var requestEvent))
            {
                batch.Events.Add(requestEvent);
            }

            batch.Dropped = events.TakeDropped();
            await writer.WriteAsync(new GatewayMessage { Events = batch }, cancellationToken);
        }
    }

    /// <summary>gRPC allows one write at a time on a stream: events and drain acks take turns.</summary>
    private sealed class SessionWriter(IClientStreamWriter<GatewayMessage> stream)
    {
        private readonly SemaphoreSlim _lock = new(1, 1);

        public async Task WriteAsync(GatewayMessage message, CancellationToken cancellationToken)
        {
            await _lock.WaitAsync(cancellationToken);
            try
            {
                await stream.WriteAsync(message, cancellationToken);
            }
            finally
            {
                _lock.Release();
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "The orchestrator at {Address} did not authenticate ({Reason}): nothing taken from it")]
    private partial void LogNotAuthenticated(string address, string reason);

    [LoggerMessage(LogLevel.Information, "No orchestrator configured (OrchestratorLink:Address): serving alone")]
    private partial void LogDisabled();

    [LoggerMessage(LogLevel.Information, "Linked to the orchestrator at {Address} as {GatewayId}")]
    private partial void LogConnected(string address, string gatewayId);

    [LoggerMessage(LogLevel.Warning, "Orchestrator link lost ({Reason}); serving on, reconnecting")]
    private partial void LogSessionEnded(string reason);

    [LoggerMessage(LogLevel.Warning, "Cannot reach the orchestrator ({Reason}); attempt {Attempt}, next in {DelayMs:F0} ms")]
    private partial void LogConnectFailed(string reason, int attempt, double delayMs);

    [LoggerMessage(LogLevel.Warning, "A route delta does not apply on version {Version}: reconnecting for a snapshot")]
    private partial void LogRouteGap(ulong version);

    [LoggerMessage(LogLevel.Information, "Route snapshot {Version} with {Count} routes")]
    private partial void LogSnapshot(ulong version, int count);

    [LoggerMessage(LogLevel.Information, "Drained cache node {NodeId} (drain {DrainId})")]
    private partial void LogDrained(string nodeId, string drainId);

    [LoggerMessage(LogLevel.Error, "Draining cache node {NodeId} (drain {DrainId}) failed: {Error}")]
    private partial void LogDrainFailed(string nodeId, string drainId, string error);
}
