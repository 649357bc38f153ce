namespace ReactiveCache.Lambda.Runtime;

/// <summary>One event handed out by the Runtime API's <c>invocation/next</c>.</summary>
/// <param name="Deadline">From <c>Lambda-Runtime-Deadline-Ms</c>: when Lambda kills the invocation.</param>
public sealed record RuntimeInvocation(string RequestId, DateTimeOffset Deadline, string? TraceId, byte[] Payload);
