namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// A ratio <c>bench gateway</c> reports for each object: <paramref name="Metric"/> of <paramref name="Target"/>'s
/// row over that of <paramref name="Against"/>'s, measured in the same run. With a <paramref name="Threshold"/>
/// it is judged (≥ when more is better, ≤ otherwise; and the target's row must have no errors); without, it is
/// printed for reference.
/// </summary>
public sealed record VerdictRule(GatewayTarget Target, GatewayTarget Against, BenchMetric Metric, double? Threshold = null)
{
    public string Name => $"{Target.Name} / {Against.Name} {Metric.Name}";

    /// <summary>The verdict for <paramref name="object"/>; null when the run measured either row not (a run without a function).</summary>
    public Verdict? Judge(GatewayBenchResults results, string @object) =>
        results.Pooled(@object, Target) is { } target && results.Pooled(@object, Against) is { } against
            ? new Verdict(@object, this, Metric.Of(target), Metric.Of(against), target.Errors)
            : null;
}
