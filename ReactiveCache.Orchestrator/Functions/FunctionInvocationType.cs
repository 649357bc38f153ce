namespace ReactiveCache.Orchestrator.Functions;

/// <summary>Lambda's <c>X-Amz-Invocation-Type</c>.</summary>
public enum FunctionInvocationType
{
    /// <summary>Wait for the function to return (the thesis invoked so: the call ends with the function's life).</summary>
    RequestResponse,

    /// <summary>Queue it and return at once (202).</summary>
    Event,
}
