using ReactiveCache.Domain.Costs;

namespace ReactiveCache.Domain.Policy.Default;

/// <summary>
/// Knobs of <see cref="DefaultPolicy"/>: one value (what an in-memory hit is worth, from the sensitivity) and
/// the price table; every threshold is a break-even of the two with the key's measured rate.
/// </summary>
/// <param name="ValuePerHitUsd">What serving one request from memory instead of S3 is worth (the latency weight).</param>
/// <param name="Prices">Prices the break-evens are computed from.</param>
/// <param name="ExpectedBoot">How long the node takes to boot (the thesis measured 30.2 s on average).</param>
/// <param name="ExpectedStop">How long a stop blocks a restart (EC2 cannot start a stopping instance; ~135 s in the thesis's runs).</param>
/// <param name="StopWaitShare">How much of <paramref name="ExpectedStop"/> a key that comes back is expected to wait
/// (only a key returning while the node is still stopping waits for it).</param>
/// <param name="MaxIdle">A key never stays idle on the node longer than this.</param>
/// <param name="BridgeTick">A bridging function's TICK (it is held with keepRunning until the node has the key).</param>
public sealed record DefaultPolicySettings(
    double ValuePerHitUsd,
    PriceTable Prices,
    TimeSpan ExpectedBoot,
    TimeSpan ExpectedStop,
    double StopWaitShare,
    TimeSpan MaxIdle,
    TimeSpan BridgeTick)
{
    /// <summary>Smoothing of the long-run mean gap (exponentially weighted).</summary>
    public const double GapSmoothing = 0.1;

    /// <summary>Node cost per second.</summary>
    public double NodePerSecond => (double)Prices.NodePerHour / 3600.0;

    /// <summary>
    /// Sensitivity 1..5 like the thesis: each step multiplies what a hit is worth by 2.5 ($0.00002 at 1, $0.0003125 at 4).
    /// The curve and <see cref="StopWaitShare"/> were chosen by sweeping the thesis's traces in the simulator
    /// (docs/results): they are a tuning, not a derivation.
    /// </summary>
    public static DefaultPolicySettings FromSensitivity(int sensitivity, PriceTable? prices = null)
    {
        int s = Math.Clamp(sensitivity, 1, 5);
        return new DefaultPolicySettings(
            ValuePerHitUsd: 0.00002 * Math.Pow(2.5, s - 1),
            Prices: prices ?? PriceTable.ThesisFrankfurt,
            ExpectedBoot: TimeSpan.FromSeconds(30),
            ExpectedStop: TimeSpan.FromSeconds(135),
            StopWaitShare: 0.25,
            MaxIdle: TimeSpan.FromMinutes(15),
            BridgeTick: TimeSpan.FromSeconds(10));
    }
}
