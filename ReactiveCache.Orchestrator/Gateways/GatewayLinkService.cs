using Grpc.Core;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Link;

namespace ReactiveCache.Orchestrator.Gateways;

/// <summary>
/// The gRPC service every gateway keeps one stream open to (contract: Core/Protos/gateway_link.proto). A peer that
/// does not prove it holds the link secret (<see cref="GatewayLinkHandshake"/>) gets no session: it cannot take over a
/// gateway id, send events or acknowledge drains.
/// </summary>
public sealed class GatewayLinkService(GatewaySessions sessions, IOptions<GatewayLinkOptions> options, ILogger<GatewayLinkService> logger) : GatewayLink.GatewayLinkBase
{
    private readonly byte[]? _secret = GatewayLinkHandshake.SecretBytes(options.Value.Secret);

    public override async Task Connect(
        IAsyncStreamReader<GatewayMessage> requestStream,
        IServerStreamWriter<OrchestratorMessage> responseStream,
        ServerCallContext context)
    {
        var token = context.CancellationToken;
        Hello hello;
        try
        {
            hello = await GatewayLinkHandshake.AcceptAsync(requestStream, responseStream, _secret, token);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated or StatusCode.DeadlineExceeded)
        {
            sessions.Refused();
            logger.LogWarning("Refused a gateway link from {Peer}: {Reason}", context.Peer, e.Status.Detail);
            throw;
        }

        var session = sessions.Open(hello);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(token);
        var writer = WriteAsync(session, responseStream, ended);
        try
        {
            // Ends when the gateway goes, or when its session does (replaced by a new one, or cut off: see WriteAsync).
            while (await requestStream.MoveNext(ended.Token))
            {
                var message = requestStream.Current;
                switch (message.KindCase)
                {
                    case GatewayMessage.KindOneofCase.Events:
                        foreach (var e in message.Events.Events)
                        {
                            sessions.Post(e);
                        }

                        if (message.Events.Dropped > 0)
                        {
                            logger.LogWarning("Gateway {Gateway} dropped {Count} request events", session.GatewayId, message.Events.Dropped);
                        }

                        break;
                    case GatewayMessage.KindOneofCase.DrainAck:
                        sessions.Acknowledge(session, message.DrainAck);
                        break;
                    case GatewayMessage.KindOneofCase.RouteAck:
                        sessions.Acknowledge(session, message.RouteAck);
                        break;
                    default:
                        logger.LogWarning("Gateway {Gateway} sent an unexpected {Kind}", session.GatewayId, message.KindCase);
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException || e is RpcException { StatusCode: StatusCode.Cancelled })
        {
            // The gateway went away; it reconnects with backoff.
        }
        finally
        {
            sessions.Close(session);
            await ended.CancelAsync();
            await writer;
        }
    }

    /// <summary>Writes the session's outbox until it is closed, then ends the call (the gateway reconnects if it still runs).</summary>
    private async Task WriteAsync(GatewaySessions.Session session, IServerStreamWriter<OrchestratorMessage> stream, CancellationTokenSource ended)
    {
        try
        {
            await foreach (var message in session.Outbox.ReadAllAsync(ended.Token))
            {
                await stream.WriteAsync(message, ended.Token);
            }
        }
        catch (Exception e)
        {
            if (!ended.IsCancellationRequested)
            {
                // A message that could not be written ends the session (the gateway reconnects and starts from a
                // snapshot) instead of leaving it to read on while its routes no longer follow the orchestrator's.
                logger.LogWarning("Writing to gateway {Gateway} failed ({Error}); its session ends", session.GatewayId, e.Message);
            }
        }

        await ended.CancelAsync();
    }
}
