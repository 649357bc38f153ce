namespace ReactiveCache.Domain.Simulation;

/// <summary>
/// How long things take to start and stop. Defaults from the thesis's measurements (docs/thesis.md §4, 100 B):
/// function cold 581 ms, warm 18.4 ms (trigger → forwarding switched); node boot mean 30.18 s within the
/// measured 18–61 s (drawn as 18 s + an exponential, cut at 61 s); node stop 135 s (inferred from the
/// thesis's raw runs: after a stop, its restricted-Lambda phases lasted 121–151 s before Redis could restart);
/// object load onto the node 50 ms; the function timeout 4 min (the thesis's configuration); an idle
/// function environment stays warm for 10 minutes. An EC2 instance is billed from <c>running</c>, which it
/// reaches before the node answers (pending is not billed, the boot of the operating system and Redis is):
/// <see cref="NodePendingSeconds"/> is the unbilled head of a boot. AWS publishes no figure for it; we take 10 s,
/// a little over half the fastest boot the thesis measured (18 s), and every boot is drawn at least that long.
/// </summary>
public sealed record StartupModel(
    double FunctionColdMs = 581,
    double FunctionWarmMs = 18.4,
    double NodeBootMinSeconds = 18,
    double NodeBootMeanSeconds = 30.183,
    double NodeBootMaxSeconds = 61,
    double NodeStopSeconds = 135,
    double ObjectLoadSeconds = 0.05,
    double FunctionTimeoutSeconds = 240,
    double FunctionKeepWarmSeconds = 600,
    double NodePendingSeconds = 10)
{
    /// <summary>A boot time in seconds: min + exponential(mean − min), cut at max. Fixed when min = max.</summary>
    public double DrawNodeBootSeconds(Random random)
    {
        if (NodeBootMaxSeconds <= NodeBootMinSeconds)
        {
            return NodeBootMinSeconds;
        }

        double extraMean = Math.Max(0, NodeBootMeanSeconds - NodeBootMinSeconds);
        double boot = NodeBootMinSeconds + (-extraMean * Math.Log(1.0 - random.NextDouble()));
        return Math.Min(boot, NodeBootMaxSeconds);
    }
}
