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

    /// <summary>How long the function waits before dialling a broken control stream again: doubling, up to the cap.</summary>
    private static readonly TimeSpan FirstRedial = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan MaxRedial = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Opens the stream and applies its commands to <paramref name="invocation"/> until
    /// <paramref name="cancellationToken"/> (the end of the life). A stream that breaks (the orchestrator restarted, the
    /// network) is dialled again with backoff for as long as the life lasts: a restarted orchestrator learns from it that
    /// the function still holds its keys. Meanwhile the TICK rules end the life, as in the thesis.
    /// </summary>
    public async Task RunAsync(string orchestratorUrl, ActiveInvocation invocation, string token, CancellationToken cancellationToken)
    {
        var request = new ControlRequest { InvocationId = invocation.Id, Token = token };
        request.Keys.AddRange(invocation.Keys);
        var wait = FirstRedial;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await RunOnceAsync(orchestratorUrl, request, invocation, cancellationToken))
            {
                wait = FirstRedial;
            }

            try
            {
                await Task.Delay(wait, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            wait = wait * 2 < MaxRedial ? wait * 2 : MaxRedial;
        }
    }

    /// <summary>One stream, until it ends; true when it was open (a command or the headers came).</summary>
    private async Task<bool> RunOnceAsync(string orchestratorUrl, ControlRequest request, ActiveInvocation invocation, CancellationToken cancellationToken)
    {
        var opened = false;
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
                    ConnectTimeout = TimeSpan.FromSeconds(2),
                },
            }));
            using var call = new FunctionControl.FunctionControlClient(channel).Control(request, cancellationToken: cancellationToken);
            await call.ResponseHeadersAsync;
            opened = true;
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

            logger.LogWarning("The control stream to {Orchestrator} ended; dialling again", orchestratorUrl);
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
            logger.LogWarning("The control stream to {Orchestrator} failed: {Status} {Detail}; dialling again", orchestratorUrl, e.StatusCode, e.Status.Detail);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Anything else (a bad address, a broken connection): the invocation serves on and dials again.
            logger.LogWarning("The control stream to {Orchestrator} failed: {Error}; dialling again", orchestratorUrl, e.Message);
        }

        return opened;
    }

    public void Dispose()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }
    }
}
