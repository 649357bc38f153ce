using ReactiveCache.Domain.Costs;

namespace ReactiveCache.Domain.Simulation.Optimum;

/// <summary>
/// Everything <see cref="OfflineOptimum"/> needs, in seconds and USD, read from the simulator's own options:
/// the price table, the start-up model, the objective's v and the run's node boot times in the order the
/// simulator draws them (the k-th start of any policy on this seed boots for <c>Boots[k-1]</c> seconds).
/// </summary>
public sealed record OptimumModel
{
    /// <summary>Slack taken off every start-up delay so that the simulator's rounding to 100 ns ticks never makes the optimum later.</summary>
    private const double TickSlackSeconds = 1e-6;

    public required double ValuePerHitUsd { get; init; }

    public required double S3GetUsd { get; init; }

    public required double InvocationUsd { get; init; }

    public required double FunctionPerSecondUsd { get; init; }

    public required double WarmStartSeconds { get; init; }

    public required double ColdStartSeconds { get; init; }

    public required double FunctionTimeoutSeconds { get; init; }

    public required double NodePerSecondUsd { get; init; }

    public required double NodeMinimumSeconds { get; init; }

    public required double NodePendingSeconds { get; init; }

    public required NodeBilling NodeBilling { get; init; }

    public required double NodeStopSeconds { get; init; }

    public required double ObjectLoadSeconds { get; init; }

    public required double BootMinSeconds { get; init; }

    public required double BootMaxSeconds { get; init; }

    /// <summary>The boot time of the 1st, 2nd, … start; starts beyond these take <see cref="BootMinSeconds"/> (a relaxation).</summary>
    public required IReadOnlyList<double> Boots { get; init; }

    /// <summary>S3's price for a GET plus v: what a GET answered by S3 adds to J.</summary>
    public double MissUsd => S3GetUsd + ValuePerHitUsd;

    /// <summary>The off-node price of a request; a function may serve up to the timeout plus a cold start after its invocation (a cold start is never billed more than warm here).</summary>
    public OffNodePrice OffNodePrice => new(MissUsd, InvocationUsd, FunctionPerSecondUsd, WarmStartSeconds, FunctionTimeoutSeconds + ColdStartSeconds);

    /// <summary>The model of a simulation run: its prices, start-up model, v and the first <paramref name="boots"/> boot times of its seed.</summary>
    public static OptimumModel From(SimulationOptions options, int boots)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(boots);
        var s = options.Startup;
        var random = new Random(options.Seed);
        var draws = new double[boots];
        for (int k = 0; k < boots; k++)
        {
            draws[k] = Math.Max(0, s.DrawNodeBootSeconds(random) - TickSlackSeconds);
        }

        return new OptimumModel
        {
            ValuePerHitUsd = Objective.ValuePerHitUsd(options.Sensitivity),
            S3GetUsd = (double)options.Prices.S3GetPerRequest,
            InvocationUsd = (double)options.Prices.LambdaPerRequest,
            FunctionPerSecondUsd = (double)options.Prices.LambdaPerMs * 1000.0,
            WarmStartSeconds = Math.Max(0, (Math.Min(s.FunctionWarmMs, s.FunctionColdMs) / 1000.0) - TickSlackSeconds),
            ColdStartSeconds = Math.Max(s.FunctionWarmMs, s.FunctionColdMs) / 1000.0,
            FunctionTimeoutSeconds = s.FunctionTimeoutSeconds,
            NodePerSecondUsd = (double)options.Prices.NodePerHour / 3600.0,
            NodeMinimumSeconds = options.Prices.NodeMinimumSeconds,
            NodePendingSeconds = s.NodePendingSeconds,
            NodeBilling = options.NodeBilling,
            NodeStopSeconds = s.NodeStopSeconds,
            ObjectLoadSeconds = Math.Max(0, s.ObjectLoadSeconds - TickSlackSeconds),
            BootMinSeconds = Math.Max(0, Math.Min(s.NodeBootMinSeconds, s.NodeBootMaxSeconds) - TickSlackSeconds),
            BootMaxSeconds = Math.Max(s.NodeBootMinSeconds, s.NodeBootMaxSeconds),
            Boots = draws,
        };
    }

    /// <summary>The boot time of the start that follows <paramref name="starts"/> earlier ones.</summary>
    internal double BootAfter(int starts) => starts < Boots.Count ? Boots[starts] : BootMinSeconds;

    /// <summary>
    /// From how long after a start (following <paramref name="starts"/> earlier ones) the node is billed. Past the known
    /// boots the bound takes the cheapest case: the shortest boot, and for billing from ready the longest.
    /// </summary>
    internal double BilledAfter(int starts)
    {
        double boot = BootAfter(starts);
        return NodeBilling == NodeBilling.FromReady
            ? (starts < Boots.Count ? boot : BootMaxSeconds)
            : Math.Min(NodePendingSeconds, boot);
    }
}
