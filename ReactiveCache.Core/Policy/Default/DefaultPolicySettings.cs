namespace ReactiveCache.Core.Policy.Default;

/// <summary>
/// Knobs of <see cref="DefaultPolicy"/>. Everything else is measured online or derived from the price table.
/// </summary>
/// <param name="StartGap">A key is hot when the mean of its last gaps (up to 4) is below this.</param>
/// <param name="IdleGapFactor">A key leaves the node once it has been idle this many mean gaps...</param>
/// <param name="MinIdle">...but never before this (the node is billed 60 s per start anyway)...</param>
/// <param name="MaxIdle">...and always after this.</param>
/// <param name="BridgeMinExpectedRequests">Serve the key from a function while the node boots when at least this many
/// requests are expected during the boot (mean boot time / measured mean gap); 0 = never.</param>
/// <param name="BridgeTick">The bridging function's TICK (it is held with keepRunning until the node has the key).</param>
public sealed record DefaultPolicySettings(
    TimeSpan StartGap,
    double IdleGapFactor,
    TimeSpan MinIdle,
    TimeSpan MaxIdle,
    double BridgeMinExpectedRequests,
    TimeSpan BridgeTick)
{
    /// <summary>Expected node boot (the thesis measured 30.2 s on average).</summary>
    public static readonly TimeSpan ExpectedBoot = TimeSpan.FromSeconds(30);

    /// <summary>Sensitivity 1..5 like the thesis: higher = more weight on latency (earlier start, longer stay).</summary>
    public static DefaultPolicySettings FromSensitivity(int sensitivity)
    {
        int s = Math.Clamp(sensitivity, 1, 5);
        return new DefaultPolicySettings(
            StartGap: TimeSpan.FromSeconds(10 * (s + 1)),
            IdleGapFactor: 2 + s,
            MinIdle: TimeSpan.FromSeconds(60),
            MaxIdle: TimeSpan.FromSeconds(60 * (s + 1)),
            BridgeMinExpectedRequests: s >= 3 ? 6 - s : 0,
            BridgeTick: TimeSpan.FromSeconds(10));
    }
}
