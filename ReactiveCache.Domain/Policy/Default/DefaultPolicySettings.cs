using ReactiveCache.Domain.Costs;
using ReactiveCache.Domain.Simulation;

namespace ReactiveCache.Domain.Policy.Default;

/// <summary>
/// What <see cref="DefaultPolicy"/> knows before it sees a request: the objective's v (from the sensitivity), the
/// price table and the start-up model. Every threshold of the policy is computed from these and from what it learns
/// online; docs/policy.md derives each one.
/// </summary>
/// <param name="ValuePerHitUsd">v: what answering a GET from memory instead of S3 is worth.</param>
/// <param name="Prices">Node, function and S3 prices.</param>
/// <param name="Startup">Boot, stop, pending, load and function start-up times and the function timeout.</param>
public sealed record DefaultPolicySettings(double ValuePerHitUsd, PriceTable Prices, StartupModel Startup)
{
    /// <summary>Node price per second (p).</summary>
    public double NodePerSecond => (double)Prices.NodePerHour / 3600.0;

    /// <summary>The billed minimum per start (M).</summary>
    public double NodeMinimumSeconds => Prices.NodeMinimumSeconds;

    /// <summary>The expected boot (the start-up model's mean).</summary>
    public double ExpectedBootSeconds => Startup.NodeBootMeanSeconds;

    /// <summary>The unbilled head of a boot (EC2 bills from <c>running</c>).</summary>
    public double PendingSeconds => Math.Min(Startup.NodePendingSeconds, Startup.NodeBootMinSeconds);

    public double StopSeconds => Startup.NodeStopSeconds;

    public double FunctionTimeoutSeconds => Startup.FunctionTimeoutSeconds;

    /// <summary>S3's GET price + v: what a GET answered by S3 adds to J.</summary>
    public double MissUsd => (double)Prices.S3GetPerRequest + ValuePerHitUsd;

    public double FunctionPerSecond => (double)Prices.LambdaPerMs * 1000.0;

    public double InvocationUsd => (double)Prices.LambdaPerRequest;

    /// <summary>
    /// The break-even gap of a function: S3 + v buys this many seconds of function time. Requests further apart than
    /// this are cheaper served by S3 than by a function kept between them.
    /// </summary>
    public double BridgeGapSeconds => MissUsd / FunctionPerSecond;

    /// <summary>The off-node price of a request (the same rule the optimum prices requests with).</summary>
    public OffNodePrice OffNodePrice => new(MissUsd, InvocationUsd, FunctionPerSecond, Startup.FunctionWarmMs / 1000.0, FunctionTimeoutSeconds);

    /// <summary>
    /// The window a start is judged on: its minimum billing runs from start + pending to start + pending + M, and the
    /// node serves in it from the expected ready time on. A start pays off if what the requests of this window would
    /// cost off the node covers M of node time.
    /// </summary>
    public double StartWindowFromSeconds => ExpectedBootSeconds;

    public double StartWindowToSeconds => PendingSeconds + NodeMinimumSeconds;

    /// <summary>
    /// The end of the window a start is also judged on if the node, once up, is kept for a comeback horizon (the stop
    /// rule keeps a node whose traffic is worth its price): billed from start + pending for the horizon, serving from
    /// the expected ready time on.
    /// </summary>
    public double RunWindowToSeconds => PendingSeconds + ComebackSeconds;

    /// <summary>
    /// The least a comeback costs off the node when traffic resumes after a stop: the request that ends the idle gap,
    /// and the requests of the restart's boot at the lowest rate the start rule restarts the node for (the rate at
    /// which the start window's requests just cover M of node time), for an expected boot. The buy price of the ski
    /// rental that times a stop nothing learned times (∞ when the node would not serve inside the start window).
    /// </summary>
    public double LeastComebackUsd
    {
        get
        {
            double window = StartWindowToSeconds - StartWindowFromSeconds;
            return window > 0 ? MissUsd + (ExpectedBootSeconds * NodePerSecond * NodeMinimumSeconds / window) : double.PositiveInfinity;
        }
    }

    /// <summary>
    /// The ski rental that times a stop nothing learned times (no gap learned yet, or idle beyond the longest gap
    /// learned): the node is kept idle for as long as its price adds up to <see cref="LeastComebackUsd"/>
    /// (deterministic, 2-competitive). Null when that is unbounded (or beyond any date a clock can add it to).
    /// </summary>
    public TimeSpan? StopRent
    {
        get
        {
            double seconds = LeastComebackUsd / NodePerSecond;
            return seconds < TimeSpan.MaxValue.TotalSeconds / 4 ? TimeSpan.FromSeconds(seconds) : null;
        }
    }

    /// <summary>How long the node takes to serve again after a stop (the stop, then a boot): the horizon of the stop rules.</summary>
    public double ComebackSeconds => StopSeconds + ExpectedBootSeconds;

    /// <summary>The policy for a latency sensitivity 1..5 (<see cref="Objective.ValuePerHitUsd"/>).</summary>
    public static DefaultPolicySettings FromSensitivity(int sensitivity, PriceTable? prices = null, StartupModel? startup = null) =>
        new(Objective.ValuePerHitUsd(sensitivity), prices ?? PriceTable.ThesisFrankfurt, startup ?? new StartupModel());
}
