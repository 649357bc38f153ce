using Grpc.Core;
using ReactiveCache.Core.Link;

namespace ReactiveCache.Orchestrator.Gateways;

/// <summary>The gRPC service every gateway keeps one stream open to (contract: Core/Protos/gateway_link.proto).</summary>
public sealed class GatewayLinkService(GatewaySessions sessions, ILogger<GatewayLinkService> logger) : GatewayLink.GatewayLinkBase
{
    public override async Task Connect(
        IAsyncStreamReader<GatewayMessage> requestStream,
        IServerStreamWriter<OrchestratorMessage> responseStream,
        ServerCallContext context)
    {
        var token = context.CancellationToken;
        if (!await requestStream.MoveNext(token) || requestStream.Current.KindCase != GatewayMessage.KindOneofCase.Hello
            || string.IsNullOrWhiteSpace(requestStream.Current.Hello.GatewayId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The first message of a gateway link must be a Hello with a gateway_id."));
        }

        var session = sessions.Open(requestStream.Current.Hello);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(token);
        var writer = WriteAsync(session, responseStream, ended);
        try
        {
            while (await requestStream.MoveNext(ended.Token))
            {
                var message = requestStream.Current;
                switch (message.KindCase)
                {
                    case GatewayMessage.KindOneofCase.Events:
                        foreach (var e in message.Events.Events)
                        {
                            sessions.Events.Writer.TryWrite(e);
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
                await ended.CancelAsync();
            }
        }
    }
}
