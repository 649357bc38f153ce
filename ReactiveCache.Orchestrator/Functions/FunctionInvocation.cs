using System.Text.Json;
using ReactiveCache.Core.Functions;

namespace ReactiveCache.Orchestrator.Functions;

/// <summary>What the Invoke API answered.</summary>
/// <param name="FunctionError">The <c>X-Amz-Function-Error</c> header: the function failed (the body is an error document).</param>
public sealed record FunctionInvocation(int StatusCode, string? RequestId, string? FunctionError, byte[] Body)
{
    public bool Succeeded => StatusCode is >= 200 and < 300 && FunctionError is null;

    /// <summary>The function's result document (RequestResponse invocations that succeeded).</summary>
    public FunctionResult? Result =>
        Succeeded && Body.Length > 0 ? JsonSerializer.Deserialize(Body, FunctionJsonContext.Default.FunctionResult) : null;
}
