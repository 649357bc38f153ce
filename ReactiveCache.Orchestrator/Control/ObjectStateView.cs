namespace ReactiveCache.Orchestrator.Control;

/// <summary>One object as the control API shows it.</summary>
/// <param name="State">The policy's state (S3, Lambda, RedisBootup, RedisRunning, RedisShutdown, RestrictedLambda).</param>
/// <param name="Requests">Requests seen for the object.</param>
/// <param name="RequestsByLayer">Of those, how many each layer served.</param>
/// <param name="LastRequests">The last (up to 5) receive timestamps, the thesis's window.</param>
/// <param name="Route">The layer the gateways are told to serve it from.</param>
/// <param name="History">The policy states it went through, oldest first (the last 64).</param>
/// <param name="Pinned">The layer the control API pinned it to (the policy leaves it alone meanwhile), or null.</param>
/// <param name="SizeBytes">Its size in bytes, once read from the store (when it was first to go onto a layer), or null.</param>
/// <param name="TooLargeFor">The layers it is too large for (the <c>SizeLimits</c>): it is never routed there; null while its size is unknown.</param>
public sealed record ObjectStateView(
    string Key,
    string State,
    long Requests,
    IReadOnlyDictionary<string, long> RequestsByLayer,
    IReadOnlyList<DateTimeOffset> LastRequests,
    string Route,
    IReadOnlyList<StateChange> History,
    string? Pinned = null,
    long? SizeBytes = null,
    IReadOnlyList<string>? TooLargeFor = null);

/// <summary>The object entered <paramref name="State"/> at <paramref name="At"/>.</summary>
public sealed record StateChange(string State, DateTimeOffset At);
