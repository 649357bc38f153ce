using ReactiveCache.Domain.Costs;
using ReactiveCache.Domain.Policy.Configuration;

namespace ReactiveCache.Domain.Simulation;

/// <summary>Everything a run needs besides the trace.</summary>
public sealed record SimulationOptions
{
    public SystemKind System { get; init; } = SystemKind.Reactive;

    /// <summary>For <see cref="SystemKind.Reactive"/>: thesis or default.</summary>
    public PolicyKind Policy { get; init; } = PolicyKind.Thesis;

    public double Rate { get; init; } = 3.0;

    public int Sensitivity { get; init; } = 4;

    public int Seed { get; init; } = 1;

    public PriceTable Prices { get; init; } = PriceTable.ThesisFrankfurt;

    public LatencyModel Latency { get; init; } = new();

    public StartupModel Startup { get; init; } = new();

    /// <summary>From when a node start is billed: AWS's <c>running</c> (the default) or, as the thesis's evaluation billed, when Redis answers.</summary>
    public NodeBilling NodeBilling { get; init; } = NodeBilling.FromRunning;

    /// <summary>The run's window; null = the trace's.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Keep per-request rows and intervals (off for benchmarks).</summary>
    public bool RecordRequests { get; init; } = true;
}
