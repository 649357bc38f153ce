using Grpc.Core;
using ReactiveCache.Core.Protos.Function;

namespace ReactiveCache.Orchestrator.Functions;

/// <summary>The orchestrator's side of the function control stream (<c>function.proto</c>).</summary>
public sealed class FunctionControlService(FunctionControlHub hub, FunctionTokens tokens) : FunctionControl.FunctionControlBase
{
    public override async Task Control(ControlRequest request, IServerStreamWriter<ControlCommand> responseStream, ServerCallContext context)
    {
        var claims = tokens.Validate(request.Token);
        if (claims is null)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "The invocation token is missing, invalid or expired."));
        }

        if (string.IsNullOrEmpty(request.InvocationId) || request.Keys.Count == 0 || request.Keys.Any(k => !claims.Contains(k)))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "The token does not cover the keys of this stream."));
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
