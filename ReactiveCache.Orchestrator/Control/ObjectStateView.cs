namespace ReactiveCache.Orchestrator.Control;

/// <summary>One object as the control API shows it.</summary>
/// <param name="State">The policy's state (S3, Lambda, RedisBootup, RedisRunning, RedisShutdown, RestrictedLambda).</param>
/// <param name="Requests">Requests seen for the object.</param>
/// <param name="RequestsByLayer">Of those, how many each layer served.</param>
/// <param name="LastRequests">The last (up to 5) receive timestamps, the thesis's window.</param>
/// <param name="Route">The layer the gateways are told to serve it from.</param>
public sealed record ObjectStateView(
    string Key,
    string State,
    long Requests,
    IReadOnlyDictionary<string, long> RequestsByLayer,
    IReadOnlyList<DateTimeOffset> LastRequests,
    string Route);
