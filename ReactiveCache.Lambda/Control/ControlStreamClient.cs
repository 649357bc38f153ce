using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using ReactiveCache.Core.Protos.Function;
using ReactiveCache.Lambda.Serving;

namespace ReactiveCache.Lambda.Control;

/// <summary>
/// The control stream to the orchestrator (gRPC server-stream, <c>function.proto</c>): <c>keepRunning</c>
/// holds the invocation up, <c>shutdown</c> ends it. Channels are kept per orchestrator address and
/// reused by later invocations of a warm environment (the HTTP/2 connection survives).
/// </summary>
public sealed class ControlStreamClient(ILogger<ControlStreamClient> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new(StringComparer.Ordinal);

    /// <summary>
    /// Opens the stream and applies its commands to <paramref name="invocation"/> until
    /// <paramref name="cancellationToken"/> (the end of the life). A broken stream is logged and left:
    /// the TICK rules still end the life, as in the thesis when the orchestrator is gone.
    /// </summary>
    public async Task RunAsync(string orchestratorUrl, ActiveInvocation invocation, string token, CancellationToken cancellationToken)
    {
        var request = new ControlRequest { InvocationId = invocation.Id, Token = token };
        request.Keys.AddRange(invocation.Keys);
        try
        {
            var channel = _channels.GetOrAdd(orchestratorUrl, url => GrpcChannel.ForAddress(url, new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler
                {
                    UseProxy = false,
                    EnableMultipleHttp2Connections = true,
                    KeepAlivePingDelay = TimeSpan.FromSeconds(20),
                    KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                },
            }));
            using var call = new FunctionControl.FunctionControlClient(channel).Control(request, cancellationToken: cancellationToken);
            await foreach (var command in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                switch (command.CommandCase)
                {
                    case ControlCommand.CommandOneofCase.KeepRunning:
                        logger.LogInformation("keepRunning received for {Invocation}", invocation.Id);
                        invocation.KeepRunning();
                        break;
                    case ControlCommand.CommandOneofCase.Shutdown:
                        logger.LogInformation("shutdown received for {Invocation}", invocation.Id);
                        invocation.Shutdown();
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The life ended.
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            // The life ended.
        }
        catch (RpcException e)
        {
            logger.LogWarning("The control stream to {Orchestrator} failed: {Status} {Detail}", orchestratorUrl, e.StatusCode, e.Status.Detail);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Anything else (a bad address, a broken connection): the invocation serves on without the stream.
            logger.LogWarning("The control stream to {Orchestrator} failed: {Error}", orchestratorUrl, e.Message);
        }
    }

    public void Dispose()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }
    }
}
