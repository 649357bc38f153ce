namespace ReactiveCache.Domain.Policy;

/// <summary>
/// Something the policy must know about. A value type so that the simulator can feed millions of them
/// without allocating. <see cref="Time"/> is when it happened (a request's receive time); the policy
/// reads "now" from its <see cref="TimeProvider"/>. <see cref="Command"/> names the command a
/// <see cref="PolicyEventKind.NodeCommandFailed"/> is about (default otherwise).
/// </summary>
public readonly record struct PolicyEvent(PolicyEventKind Kind, string Key, DateTimeOffset Time, CacheLayer Layer, PolicyCommandKind Command = default)
{
    public static PolicyEvent RequestReceived(string key, DateTimeOffset time, CacheLayer servedBy) =>
        new(PolicyEventKind.RequestReceived, key, time, servedBy);

    public static PolicyEvent FunctionReady(string key, DateTimeOffset time) =>
        new(PolicyEventKind.FunctionReady, key, time, CacheLayer.Lambda);

    public static PolicyEvent FunctionEnded(string key, DateTimeOffset time) =>
        new(PolicyEventKind.FunctionEnded, key, time, CacheLayer.Lambda);

    public static PolicyEvent NodeReady(DateTimeOffset time) =>
        new(PolicyEventKind.NodeReady, string.Empty, time, CacheLayer.Redis);

    public static PolicyEvent ObjectLoaded(string key, DateTimeOffset time) =>
        new(PolicyEventKind.ObjectLoaded, key, time, CacheLayer.Redis);

    public static PolicyEvent NodeStopped(DateTimeOffset time) =>
        new(PolicyEventKind.NodeStopped, string.Empty, time, CacheLayer.Redis);

    /// <summary><paramref name="command"/> failed on the node (<paramref name="key"/>: its object, or empty).</summary>
    public static PolicyEvent NodeCommandFailed(PolicyCommandKind command, string key, DateTimeOffset time) =>
        new(PolicyEventKind.NodeCommandFailed, key, time, CacheLayer.Redis, command);

    public static PolicyEvent NodeLost(DateTimeOffset time) =>
        new(PolicyEventKind.NodeLost, string.Empty, time, CacheLayer.Redis);

    public static PolicyEvent KeyPinned(string key, CacheLayer layer, DateTimeOffset time) =>
        new(PolicyEventKind.KeyPinned, key, time, layer);

    public static PolicyEvent KeyUnpinned(string key, DateTimeOffset time) =>
        new(PolicyEventKind.KeyUnpinned, key, time, CacheLayer.S3);

    public static PolicyEvent ObjectChanged(string key, DateTimeOffset time) =>
        new(PolicyEventKind.ObjectChanged, key, time, CacheLayer.S3);

    /// <summary>The orchestrator refused to put <paramref name="key"/> on <paramref name="layer"/>: it is too large for it.</summary>
    public static PolicyEvent ObjectTooLarge(string key, CacheLayer layer, DateTimeOffset time) =>
        new(PolicyEventKind.ObjectTooLarge, key, time, layer);

    public static PolicyEvent KeyRestored(string key, CacheLayer layer, DateTimeOffset time) =>
        new(PolicyEventKind.KeyRestored, key, time, layer);
}
