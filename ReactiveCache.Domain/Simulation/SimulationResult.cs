using ReactiveCache.Domain.Costs;

namespace ReactiveCache.Domain.Simulation;

/// <summary>
/// What one run produced: summary, usage, cost, and (optionally) every request and interval. Every simulator builds it
/// with <see cref="Create"/>, which owns the derived fields (cost from usage, v, mean latency); the parts only some
/// runs have (rate, intervals, event count) are added with <c>with</c>.
/// </summary>
public sealed record SimulationResult
{
    /// <summary>
    /// A run's result from what it counted: the cost is the price table's for <paramref name="usage"/> unless the run
    /// priced it itself (<paramref name="cost"/>), v is the sensitivity's, the mean latency is over every request.
    /// </summary>
    public static SimulationResult Create(
        string trace,
        string system,
        string policy,
        SimulationOptions options,
        double durationSeconds,
        long requests,
        long inMemory,
        double latencySumMs,
        Usage usage,
        CostBreakdown? cost = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(usage);
        return new SimulationResult
        {
            Trace = trace,
            System = system,
            Policy = policy,
            Seed = options.Seed,
            PriceTable = options.Prices.Name,
            DurationSeconds = durationSeconds,
            Requests = requests,
            InMemory = inMemory,
            MeanLatencyMs = requests == 0 ? 0 : latencySumMs / requests,
            ValuePerHitUsd = Objective.ValuePerHitUsd(options.Sensitivity),
            Usage = usage,
            Cost = cost ?? CostModel.Price(usage, options.Prices),
            Events = requests,
        };
    }

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
