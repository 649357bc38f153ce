namespace ReactiveCache.LambdaEmulator.Environments;

/// <summary>How an invocation ended: the function's response body, or an error document and its type.</summary>
public sealed record InvocationResult(byte[] Body, string? ErrorType)
{
    public bool IsError => ErrorType is not null;

    public static InvocationResult Error(string type, string message) =>
        new(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
            new ReactiveCache.Core.Functions.FunctionError(message, type),
            ReactiveCache.Core.Functions.FunctionJsonContext.Default.FunctionError), type);
}
