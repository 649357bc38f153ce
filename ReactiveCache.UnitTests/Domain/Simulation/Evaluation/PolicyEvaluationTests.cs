using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Simulation.Evaluation;
using ReactiveCache.Domain.Traces;
using Xunit.Abstractions;

namespace ReactiveCache.UnitTests.Domain.Simulation.Evaluation;

/// <summary>
/// The published-trace rows of docs/results/policies.md at the thesis's own choice (s = 4, its rate), on the first
/// seeds (the report uses 20): every policy's J is at least OPT's, and the default's J / OPT is below the thesis's.
/// </summary>
public sealed class PolicyEvaluationTests(ITestOutputHelper output)
{
    private static readonly int[] Seeds = [1, 2, 3];

    public static TheoryData<string, double> Published()
    {
        var data = new TheoryData<string, double>();
        foreach (var (file, rate) in PublishedTraces.All)
        {
            data.Add(file, rate);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Published))]
    public void On_published_traces_at_s4_the_optimum_bounds_every_policy_and_default_is_below_the_thesis(string file, double rate)
    {
        var row = EvaluationRow.Published(TraceFormat.Load(ThesisTraces.Path(file)), rate);
        var r = PolicyEvaluation.Run(row, 4, Seeds);
        output.WriteLine(FormattableString.Invariant(
            $"{r.Row}: OPT ${r.OptimumUsd:0.000000}; J / OPT default {r.Of(PolicyKind.Default).Ratio:0.000}, thesis {r.Of(PolicyKind.Thesis).Ratio:0.000}, always-on {r.Of(PolicyKind.AlwaysOn).Ratio:0.000}, s3-only {r.Of(PolicyKind.S3Only).Ratio:0.000}"));
        Assert.True(r.Exact);
        foreach (var seed in r.PerSeed)
        {
            Assert.All(seed.Policies, p => Assert.True(p.Ratio >= 1 - 1e-9, $"seed {seed.Seed}: J / OPT {p.Ratio}"));
        }

        Assert.True(r.Of(PolicyKind.Default).Ratio < r.Of(PolicyKind.Thesis).Ratio);
    }
}
