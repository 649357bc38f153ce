using ReactiveCache.Domain.Costs;
using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Policy.Default;
using ReactiveCache.Domain.Simulation;
using ReactiveCache.Domain.Simulation.Evaluation;
using ReactiveCache.Domain.Simulation.Optimum;
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

    public static TheoryData<string, double, int> Rows() => new()
    {
        // family, its rate (requests a minute), sensitivity
        { "poisson-0.5", 0.5, 4 },
        { "poisson-0.5", 0.5, 5 },
        { "poisson-2", 2, 3 },
        { "poisson-6", 6, 3 },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Every_policys_mean_J_over_the_reports_seeds_is_above_the_bound(string family, double rate, int sensitivity)
    {
        var (bound, optimum, policies) = Means(family, rate, sensitivity);
        output.WriteLine(FormattableString.Invariant($"{family} s{sensitivity}: bound / OPT {bound / optimum:0.000}; ") +
                         string.Join(", ", policies.Select(p => FormattableString.Invariant($"{p.Key} {p.Value / optimum:0.000}"))));
        Assert.All(policies, p => Assert.True(p.Value >= bound, FormattableString.Invariant($"{p.Key}: mean J {p.Value} below the bound {bound}")));
    }

    [Theory]
    [InlineData("poisson-0.5", 0.5, 4)]
    [InlineData("poisson-2", 2, 3)]
    public void On_these_poisson_rows_no_online_policy_can_be_within_1_25x_of_OPT(string family, double rate, int sensitivity)
    {
        var (bound, optimum, _) = Means(family, rate, sensitivity);
        output.WriteLine(FormattableString.Invariant($"{family} s{sensitivity}: mean bound ${bound:0.000000}, mean OPT ${optimum:0.000000}, ratio {bound / optimum:0.000}"));
        Assert.True(bound > 1.25 * optimum, FormattableString.Invariant($"bound / OPT {bound / optimum:0.000}"));
    }

    // the mean over the seeds of the bound, OPT's J and every policy's J (each seed: its own trace and boot times)
    private static (double Bound, double Optimum, Dictionary<PolicyKind, double> Policies) Means(string family, double rate, int sensitivity)
    {
        var f = TraceFamilies.Find(family)!;
        double bound = 0, optimum = 0;
        var policies = PolicyEvaluation.Policies.ToDictionary(p => p, _ => 0.0);
        foreach (int seed in Seeds)
        {
            var trace = f.Generate(seed);
            var options = new SimulationOptions { Rate = f.ThesisRate, Sensitivity = sensitivity, Seed = seed, RecordRequests = false };
            bound += MemorylessBound.ExpectedObjectiveUsd(trace.Requests[0].OffsetSeconds, trace.Duration.TotalSeconds, rate, DefaultPolicySettings.FromSensitivity(sensitivity, options.Prices));
            optimum += OfflineOptimum.Solve(trace, options).ObjectiveUsd;
            foreach (var kind in PolicyEvaluation.Policies)
            {
                policies[kind] += (double)Simulator.Run(trace, options with { Policy = kind }).ObjectiveUsd;
            }
        }

        return (bound / Seeds.Length, optimum / Seeds.Length, policies.ToDictionary(p => p.Key, p => p.Value / Seeds.Length));
    }
}
