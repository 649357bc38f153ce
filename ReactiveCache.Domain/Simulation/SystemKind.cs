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

    /// <summary>Offline, knows the whole trace and the run's boot times: the least objective J any reactive policy can reach (<see cref="Optimum.OfflineOptimum"/>).</summary>
    Optimal = 4,

    /// <summary>The thesis's offline planner (every request from memory, per-key rules): a heuristic, kept for comparison.</summary>
    ThesisOptimal = 5,
}
