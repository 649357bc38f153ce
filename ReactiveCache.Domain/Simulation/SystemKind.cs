namespace ReactiveCache.Domain.Simulation;

/// <summary>The systems the simulator compares (the thesis compared the first four live).</summary>
public enum SystemKind
{
    /// <summary>ReactiveCache: S3, functions and one node, driven by a policy.</summary>
    Reactive = 0,

    /// <summary>A self-hosted node up for the whole window; each key loaded on its first request.</summary>
    AlwaysOn = 1,

    /// <summary>A managed cache (ElastiCache), billed per started node-hour; lazily loaded.</summary>
    ElastiCache = 2,

    /// <summary>Every request from S3.</summary>
    S3Only = 3,

    /// <summary>Offline, knows the whole trace: every request from memory at the least cost (the thesis's optimizer).</summary>
    Optimal = 4,
}
