using System.Text.RegularExpressions;
using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Simulation.Evaluation;
using ReactiveCache.Domain.Traces;
using Xunit.Abstractions;

namespace ReactiveCache.UnitTests.Domain.Simulation;

/// <summary>
/// DefaultPolicy against ThesisPolicy on every thesis configuration (same simulator, prices, start-up model,
/// 20 seeds): cheaper at an equal or better hit rate. The default minimises J = $ + v × S3 GETs, not this pair, so
/// where it trades hits for dollars (or the reverse) differently from the thesis the row is a shortfall here.
/// Rows where it is not are named in <see cref="Shortfalls"/> with the reason; the test checks that they still fall short, so the list stays true.
/// </summary>
public sealed class DefaultPolicyComparisonTests(ITestOutputHelper output)
{
    public static readonly IReadOnlyDictionary<string, string> Shortfalls = new Dictionary<string, string>
    {
        ["30-poisson-3 r3 s2"] = "0 % hits at 1 % of the cost: at s = 2 a hit is worth less than the node or a function costs per request here, so minimising J serves S3 (seed 1: J / OPT 1.14, the thesis 2.35).",
        ["30-poisson-4 r4 s2"] = "10 % hits at 11 % of the cost: same trade at s = 2, the node started for a few bursts (seed 1: J / OPT 1.31, the thesis 2.60).",
        ["60-1-ec2log r3 s2"] = "3 % hits at 4 % of the cost: same trade at s = 2 (seed 1: J / OPT 1.19, the thesis 2.21).",
        ["12-spike-simple-100-250 r9 s4"] = "2.2 points more hits at +17 % cost: same reason, and functions kept through each boot (a hit is worth 19 s of function at s = 4).",
        ["38-spike-simple-300-600 r9 s4"] = "4.0 points more hits at +10 % cost: the node is kept through the spike's sparse tail, where each hit is worth more in J than the node time.",
    };

    [Fact]
    public void A_configuration_is_won_with_at_least_the_thesiss_hits_for_less_money()
    {
        Assert.True(ThesisComparison.DefaultWins(95, 0.010, 95, 0.011));
        Assert.False(ThesisComparison.DefaultWins(95, 0.011, 95, 0.011));
        Assert.False(ThesisComparison.DefaultWins(94.9, 0.001, 95, 0.011));
    }

    [Fact]
    public void The_results_page_lists_the_rows_named_here()
    {
        // docs/results/README.md (report --thesis) computes its list of the rows the default does not win; it and
        // Shortfalls must name the same rows
        var listed = new List<string>();
        foreach (var line in File.ReadLines(Path.Combine(RepoPaths.Root, "docs", "results", "README.md")))
        {
            var m = Regex.Match(line, @"^- (\S+), rate ([0-9.]+), s = ([1-5]): default ");
            if (m.Success)
            {
                listed.Add($"{m.Groups[1].Value} r{m.Groups[2].Value} s{m.Groups[3].Value}");
            }
        }

        Assert.Equal(Shortfalls.Keys.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ThesisReproductionTests.Rows), MemberType = typeof(ThesisReproductionTests))]
    public void DefaultPolicy_is_cheaper_at_equal_or_better_hit_rate(string file, double rate, int sensitivity, double thesisHit, double thesisCost)
    {
        var trace = TraceFormat.Load(ThesisTraces.Path(file));
        var thesis = ThesisReproductionTests.MeanOverSeeds(trace, rate, sensitivity, PolicyKind.Thesis);
        var ours = ThesisReproductionTests.MeanOverSeeds(trace, rate, sensitivity, PolicyKind.Default);
        string row = ThesisReproductionTests.RowName(file, rate, sensitivity);
        bool wins = ThesisComparison.DefaultWins(ours.Hit, ours.Cost, thesis.Hit, thesis.Cost);
        string numbers = FormattableString.Invariant(
            $"{row}: default {ours.Hit:0.00} % ${ours.Cost:0.00000} vs thesis policy {thesis.Hit:0.00} % ${thesis.Cost:0.00000} (published {thesisHit:0.00} % ${thesisCost:0.00000})");
        output.WriteLine(numbers);
        if (Shortfalls.TryGetValue(row, out var reason))
        {
            output.WriteLine("shortfall: " + reason);
            Assert.False(wins, $"{row} now wins: remove it from Shortfalls. {numbers}");
        }
        else
        {
            Assert.True(wins, numbers);
        }
    }
}
