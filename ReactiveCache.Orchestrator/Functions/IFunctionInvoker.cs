using ReactiveCache.Core.Functions;

namespace ReactiveCache.Orchestrator.Functions;

/// <summary>Starts the function for some keys: AWS Lambda's Invoke API, or the local emulator's.</summary>
public interface IFunctionInvoker
{
    Task<FunctionInvocation> InvokeAsync(FunctionPayload payload, FunctionInvocationType type, CancellationToken cancellationToken);
}
