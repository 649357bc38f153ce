namespace ReactiveCache.Domain.Policy.Configuration;

/// <summary>Which policy the orchestrator runs.</summary>
public enum PolicyKind
{
    /// <summary>The thesis's state machine, reproduced exactly (<see cref="Thesis.ThesisPolicy"/>).</summary>
    Thesis = 0,

    /// <summary>Ours: rates measured online, break-even decisions, many objects on one node.</summary>
    Default = 1,

    /// <summary>Baseline: the node stays up, every key is loaded into it on first use (like ElastiCache).</summary>
    AlwaysOn = 2,

    /// <summary>Baseline: everything from S3.</summary>
    S3Only = 3,
}
