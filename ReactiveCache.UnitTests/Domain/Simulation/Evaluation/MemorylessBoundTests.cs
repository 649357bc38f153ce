using ReactiveCache.Domain.Costs;
using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Policy.Default;
using ReactiveCache.Domain.Simulation.Evaluation;
using ReactiveCache.Domain.Traces.Generators;
using Xunit.Abstractions;

namespace ReactiveCache.UnitTests.Domain.Simulation.Evaluation;

/// <summary>
/// The lower bound on any online policy's expected J on Poisson traffic: its arithmetic, that every policy's mean J
/// over the report's 20 seeds is above it, and the two Poisson rows of the policy table it puts out of any online
/// policy's reach of 1.25 × OPT.
/// </summary>
public sealed class MemorylessBoundTests(ITestOutputHelper output)
{
    private static readonly int[] Seeds = [.. Enumerable.Range(1, 20)];

    [Fact]
    public void The_bound_is_one_miss_then_the_cheaper_of_the_node_and_the_misses_at_the_rate()
    {
        var prices = DefaultPolicySettings.FromSensitivity(4);
        double miss = (double)PriceTable.ThesisFrankfurt.S3GetPerRequest + Objective.ValuePerHitUsd(4);
        double p = (double)PriceTable.ThesisFrankfurt.NodePerHour / 3600.0;

        // sparse: a request every 120 s is worth less than the node's 120 s
        Assert.True(miss / 120 < p);
        Assert.Equal(miss + (miss / 120 * 3_000), MemorylessBound.ExpectedObjectiveUsd(600, 3_600, 0.5, prices), 12);
        // dense: the node is cheaper than the misses
        Assert.True(miss / 2 > p);
        Assert.Equal(miss + (p * 3_000), MemorylessBound.ExpectedObjectiveUsd(600, 3_600, 30, prices), 12);
        // nothing after the first request: that one miss
        Assert.Equal(miss, MemorylessBound.ExpectedObjectiveUsd(3_600, 3_600, 30, prices), 12);
    }

    public static TheoryData<string, int> Rows() => new()
    {
        { "poisson-0.5", 4 },
        { "poisson-0.5", 5 },
        { "poisson-2", 3 },
        { "poisson-6", 3 },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Every_policys_mean_J_over_the_reports_seeds_is_above_the_bound(string family, int sensitivity)
    {
        var r = Run(family, sensitivity);
        double bound = r.OnlineBound!.Value;
        output.WriteLine(FormattableString.Invariant($"{family} s{sensitivity}: bound / OPT {bound:0.000}; ") +
                         string.Join(", ", PolicyEvaluation.Policies.Select(k => FormattableString.Invariant($"{k} {r.RatioOfMeans(k):0.000}"))));
        Assert.All(PolicyEvaluation.Policies, k => Assert.True(r.RatioOfMeans(k) >= bound, FormattableString.Invariant($"{k}: mean J / mean OPT {r.RatioOfMeans(k):0.0000} below the bound {bound:0.0000}")));
    }

    [Theory]
    [InlineData("poisson-0.5", 4)]
    [InlineData("poisson-2", 3)]
    public void On_these_poisson_rows_no_online_policy_can_be_within_1_25x_of_OPT(string family, int sensitivity)
    {
        double bound = Run(family, sensitivity).OnlineBound!.Value;
        output.WriteLine(FormattableString.Invariant($"{family} s{sensitivity}: mean bound / mean OPT {bound:0.000}"));
        Assert.True(bound > 1.25, FormattableString.Invariant($"bound / OPT {bound:0.000}"));
    }

    [Fact]
    public void Rows_that_are_not_poisson_have_no_bound()
    {
        Assert.Null(Run("spike-20", 3).OnlineBound);
    }

    private static RowResult Run(string family, int sensitivity) =>
        PolicyEvaluation.Run(EvaluationRow.Family(TraceFamilies.Find(family)!), sensitivity, Seeds, parallelism: 2);
}
