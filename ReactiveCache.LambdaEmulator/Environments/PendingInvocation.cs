using System.Diagnostics;

namespace ReactiveCache.LambdaEmulator.Environments;

/// <summary>One invocation handed to an execution environment, until the function responds or fails.</summary>
public sealed class PendingInvocation(string requestId, byte[] payload, DateTimeOffset deadline, ActivityContext parent)
{
    private readonly TaskCompletionSource<InvocationResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string RequestId { get; } = requestId;

    public byte[] Payload { get; } = payload;

    public DateTimeOffset Deadline { get; } = deadline;

    /// <summary>When the invoke handed it out (the start of a warm start).</summary>
    public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>The invoke span, parent of the start spans.</summary>
    public ActivityContext Parent { get; } = parent;

    public Task<InvocationResult> Result => _result.Task;

    public bool TryComplete(InvocationResult result) => _result.TrySetResult(result);
}
