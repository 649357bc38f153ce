namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>A <see cref="VerdictRule"/> applied to one object's rows: both figures, their ratio, and whether it met the threshold.</summary>
/// <param name="Measured">The rule's metric of its target row.</param>
/// <param name="Baseline">The rule's metric of the row it is compared against.</param>
/// <param name="Errors">The target row's errors: a row with any does not meet its threshold.</param>
public sealed record Verdict(string Object, VerdictRule Rule, double Measured, double Baseline, long Errors)
{
    public double Ratio => Measured / Baseline;

    public double? Threshold => Rule.Threshold;

    /// <summary>Null for a reference ratio (no threshold). A NaN ratio (a row with no answer) does not meet any.</summary>
    public bool? Met => Threshold is { } threshold
        ? Errors == 0 && (Rule.Metric.HigherIsBetter ? Ratio >= threshold : Ratio <= threshold)
        : null;
}
