using ReactiveCache.Domain.Costs;

namespace ReactiveCache.Domain.Simulation;

/// <summary>What one run produced: summary, usage, cost, and (optionally) every request and interval.</summary>
public sealed class SimulationResult
{
    public required string Trace { get; init; }

    public required string System { get; init; }

    /// <summary>thesis/default for reactive runs, else the system name.</summary>
    public required string Policy { get; init; }

    public double? Rate { get; init; }

    public int? Sensitivity { get; init; }

    public int Seed { get; init; }

    public required string PriceTable { get; init; }

    public double DurationSeconds { get; init; }

    public long Requests { get; init; }

    public long InMemory { get; init; }

    public double HitPercent => Requests == 0 ? 0 : 100.0 * InMemory / Requests;

    public double MeanLatencyMs { get; init; }

    /// <summary>v of the objective: what a GET answered from memory instead of S3 is worth (from the sensitivity).</summary>
    public double ValuePerHitUsd { get; init; }

    /// <summary>J = total $ + v × client GETs answered by S3 (<see cref="Objective"/>).</summary>
    public decimal ObjectiveUsd => Objective.Of(Cost, Usage.ClientS3Gets, ValuePerHitUsd);

    public required Usage Usage { get; init; }

    public required CostBreakdown Cost { get; init; }

    public IReadOnlyList<RequestOutcome> Outcomes { get; init; } = [];

    public IReadOnlyList<Interval> NodeRuns { get; init; } = [];

    public IReadOnlyList<Interval> FunctionRuns { get; init; } = [];

    /// <summary>Events processed (requests + internal events), for throughput figures.</summary>
    public long Events { get; init; }
}
