namespace ReactiveCache.Domain.Policy;

/// <summary>What the policy wants done. Executed in order by the orchestrator (live) or the simulator.</summary>
public readonly record struct PolicyCommand(PolicyCommandKind Kind, string Key, CacheLayer Layer, TimeSpan Tick)
{
    public static PolicyCommand InvokeFunction(string key, TimeSpan tick) => new(PolicyCommandKind.InvokeFunction, key, CacheLayer.Lambda, tick);

    public static PolicyCommand KeepRunning(string key) => new(PolicyCommandKind.KeepRunning, key, CacheLayer.Lambda, TimeSpan.Zero);

    public static PolicyCommand ShutdownFunction(string key) => new(PolicyCommandKind.ShutdownFunction, key, CacheLayer.Lambda, TimeSpan.Zero);

    public static PolicyCommand StartNode() => new(PolicyCommandKind.StartNode, string.Empty, CacheLayer.Redis, TimeSpan.Zero);

    public static PolicyCommand LoadObject(string key) => new(PolicyCommandKind.LoadObject, key, CacheLayer.Redis, TimeSpan.Zero);

    public static PolicyCommand SetRoute(string key, CacheLayer layer) => new(PolicyCommandKind.SetRoute, key, layer, TimeSpan.Zero);

    public static PolicyCommand RemoveRoute(string key) => new(PolicyCommandKind.RemoveRoute, key, CacheLayer.S3, TimeSpan.Zero);

    public static PolicyCommand EvictObject(string key) => new(PolicyCommandKind.EvictObject, key, CacheLayer.Redis, TimeSpan.Zero);

    public static PolicyCommand DrainGateways() => new(PolicyCommandKind.DrainGateways, string.Empty, CacheLayer.Redis, TimeSpan.Zero);

    public static PolicyCommand StopNode() => new(PolicyCommandKind.StopNode, string.Empty, CacheLayer.Redis, TimeSpan.Zero);

    public override string ToString() => Kind switch
    {
        PolicyCommandKind.InvokeFunction => $"InvokeFunction({Key}, {Tick.TotalSeconds:0.###}s)",
        PolicyCommandKind.SetRoute => $"SetRoute({Key}, {Layer.ToName()})",
        PolicyCommandKind.StartNode or PolicyCommandKind.DrainGateways or PolicyCommandKind.StopNode => $"{Kind}",
        _ => $"{Kind}({Key})",
    };
}
