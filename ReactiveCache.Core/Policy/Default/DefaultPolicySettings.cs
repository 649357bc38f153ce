namespace ReactiveCache.Core.Policy.Default;

/// <summary>
/// Knobs of <see cref="DefaultPolicy"/>. Everything else is measured online or derived from the price table.
/// </summary>
/// <param name="StartGap">A key is hot when the mean of its last gaps (up to 4) is below this.</param>
/// <param name="IdleGapFactor">A key leaves the node once it has been idle this many mean gaps...</param>
/// <param name="MinIdle">...but never before this (the node is billed 60 s per start anyway)...</param>
/// <param name="MaxIdle">...and always after this.</param>
/// <param name="BridgeWithFunction">Serve the key from a function while the node boots (latency over cost).</param>
/// <param name="BridgeTick">The bridging function's TICK (it is held with keepRunning until the node has the key).</param>
public sealed record DefaultPolicySettings(
    TimeSpan StartGap,
    double IdleGapFactor,
    TimeSpan MinIdle,
    TimeSpan MaxIdle,
    bool BridgeWithFunction,
    TimeSpan BridgeTick)
{
    /// <summary>Sensitivity 1..5 like the thesis: higher = more weight on latency (earlier start, longer stay).</summary>
    public static DefaultPolicySettings FromSensitivity(int sensitivity)
    {
        int s = Math.Clamp(sensitivity, 1, 5);
        return new DefaultPolicySettings(
            StartGap: TimeSpan.FromSeconds(10 * (s + 1)),
            IdleGapFactor: 2 + s,
            MinIdle: TimeSpan.FromSeconds(60),
            MaxIdle: TimeSpan.FromSeconds(60 * (s + 1)),
            BridgeWithFunction: s >= 5,
            BridgeTick: TimeSpan.FromSeconds(10));
    }
}
