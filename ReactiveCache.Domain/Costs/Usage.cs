namespace ReactiveCache.Domain.Costs;

/// <summary>What a run used, in the units things are billed in.</summary>
public sealed class Usage
{
    /// <summary>Client GETs answered by S3.</summary>
    public long ClientS3Gets { get; set; }

    /// <summary>S3 GETs made by functions on cold start (a warm one still holds its object).</summary>
    public long ColdStartS3Gets { get; set; }

    /// <summary>S3 GETs made to load objects onto the node.</summary>
    public long NodeLoadS3Gets { get; set; }

    public long FunctionInvocations { get; set; }

    public long FunctionColdStarts { get; set; }

    /// <summary>Sum over invocations of the billed duration, each rounded up to a whole millisecond.</summary>
    public long FunctionBilledMs { get; set; }

    /// <summary>Seconds the node ran, one entry per start (before the minimum is applied).</summary>
    public List<double> NodeRunSeconds { get; } = [];

    /// <summary>ElastiCache node-hours started (0 when the system has none).</summary>
    public long ElastiCacheNodeHours { get; set; }

    public long S3Gets => ClientS3Gets + ColdStartS3Gets + NodeLoadS3Gets;

    public int NodeStarts => NodeRunSeconds.Count;

    public double NodeSeconds => NodeRunSeconds.Sum();
}
