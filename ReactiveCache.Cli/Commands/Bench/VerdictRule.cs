namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// A comparison <c>bench gateway</c> reports: <paramref name="Metric"/> of <paramref name="Target"/>'s row against
/// that of <paramref name="Against"/>'s, measured in the same run, as a ratio or (<see cref="VerdictScale.Difference"/>)
/// a difference. With a <paramref name="Threshold"/> it is judged (≥ when more is better, ≤ otherwise; and the
/// target's row must have no errors); without, it is printed for reference.
/// </summary>
/// <param name="Goal">The target it checks (“P1”), null for a reference.</param>
/// <param name="Object">The one object it is judged for; null: every object.</param>
/// <param name="Floor">
/// A row that does strictly less than <paramref name="Target"/>'s path and nothing of ours (bare Kestrel plus the
/// same hop): when the floor itself misses the threshold against <paramref name="Against"/>, so that no
/// implementation of the path could meet it on this machine, a target's miss is “blocked”, not “not met”.
/// </param>
public sealed record VerdictRule(
    string? Goal,
    GatewayTarget Target,
    GatewayTarget Against,
    BenchMetric Metric,
    double? Threshold = null,
    string? Object = null,
    VerdictScale Scale = VerdictScale.Ratio,
    GatewayTarget? Floor = null)
{
    public string Name => $"{Target.Name} / {Against.Name} {Metric.Name}" + (Scale == VerdictScale.Difference ? " (difference)" : "");

    /// <summary>
    /// The verdict for <paramref name="object"/>; null when the rule is for another object or the run measured
    /// either row not (a run without a function or without nginx).
    /// </summary>
    public Verdict? Judge(GatewayBenchResults results, string @object)
    {
        if (Object is not null && Object != @object
            || results.Pooled(@object, Target) is not { } target || results.Pooled(@object, Against) is not { } against)
        {
            return null;
        }

        var floor = Floor is not null && results.Pooled(@object, Floor) is { } row ? Metric.Of(row) : (double?)null;
        return new Verdict(@object, this, Metric.Of(target), Metric.Of(against), target.Errors, floor);
    }

    /// <summary>The value compared with the threshold: a ratio, or a difference in the metric's unit.</summary>
    public double Value(double measured, double baseline) =>
        Scale == VerdictScale.Ratio ? measured / baseline : measured - baseline;

    /// <summary>Whether <paramref name="value"/> meets the threshold (null for a reference; a NaN meets none).</summary>
    public bool? Meets(double value) => Threshold is { } threshold
        ? Metric.HigherIsBetter ? value >= threshold : value <= threshold
        : null;
}

/// <summary>How a <see cref="VerdictRule"/> compares two figures.</summary>
public enum VerdictScale
{
    /// <summary>Measured / baseline (“0.84×”).</summary>
    Ratio,

    /// <summary>Measured − baseline, in the metric's unit (“+9.8 µs”).</summary>
    Difference,
}
