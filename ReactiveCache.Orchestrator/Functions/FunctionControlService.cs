using Grpc.Core;
using ReactiveCache.Core.Protos.Function;

namespace ReactiveCache.Orchestrator.Functions;

/// <summary>
/// The orchestrator's side of the function control stream (<c>function.proto</c>): only an invocation holding
/// a token addressed to this orchestrator, naming the stream's invocation and covering its keys, may open one.
/// </summary>
public sealed class FunctionControlService(FunctionControlHub hub, FunctionTokens tokens) : FunctionControl.FunctionControlBase
{
    public override async Task Control(ControlRequest request, IServerStreamWriter<ControlCommand> responseStream, ServerCallContext context)
    {
        var claims = tokens.Validate(request.Token);
        if (claims is null)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "The invocation token is missing, invalid, expired or not addressed to this orchestrator."));
        }

        if (string.IsNullOrEmpty(request.InvocationId) || !string.Equals(request.InvocationId, claims.InvocationId, StringComparison.Ordinal)
            || request.Keys.Count == 0 || request.Keys.Any(k => !claims.Keys.Contains(k, StringComparer.Ordinal)))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "The token does not cover the invocation and keys of this stream."));
        }

        var connection = hub.Connect(request.InvocationId, [.. request.Keys]);
        try
        {
            await foreach (var command in connection.Commands.Reader.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(command, context.CancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The function's life ended (it cancelled the stream) or the orchestrator stops.
        }
        finally
        {
            hub.Disconnect(connection);
        }
    }
}
