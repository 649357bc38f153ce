namespace ReactiveCache.Domain.Costs;

/// <summary>
/// The one objective every policy is measured by: J = total $ + v × (client GETs answered by S3), where v, the
/// value of answering a GET from memory instead of S3, is set by the latency sensitivity (1..5). The sensitivity
/// scale is a preference, not a price: each step makes a fast answer worth 2.5 times more, from $0.00002 at 1
/// to $0.00078 at 5 (at 4 a hit is worth $0.0003125, i.e. 84 s of a $0.0134/h node).
/// </summary>
public static class Objective
{
    public const int MinSensitivity = 1;
    public const int MaxSensitivity = 5;

    /// <summary>v for a sensitivity (clamped to 1..5), in USD per GET.</summary>
    public static double ValuePerHitUsd(int sensitivity) =>
        0.00002 * Math.Pow(2.5, Math.Clamp(sensitivity, MinSensitivity, MaxSensitivity) - 1);

    /// <summary>J of a run: its cost plus v for every client GET S3 answered.</summary>
    public static decimal Of(CostBreakdown cost, long clientS3Gets, double valuePerHitUsd)
    {
        ArgumentNullException.ThrowIfNull(cost);
        return cost.Total + (clientS3Gets * (decimal)valuePerHitUsd);
    }
}
