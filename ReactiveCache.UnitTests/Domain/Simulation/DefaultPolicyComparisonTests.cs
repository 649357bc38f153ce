using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Traces;
using Xunit.Abstractions;

namespace ReactiveCache.UnitTests.Domain.Simulation;

/// <summary>
/// DefaultPolicy against ThesisPolicy on every thesis configuration (same simulator, prices, start-up model,
/// 20 seeds): cheaper at an equal or better hit rate. Rows where it is not are named in <see cref="Shortfalls"/>
/// with the reason; the test checks that they still fall short, so the list stays true.
/// </summary>
public sealed class DefaultPolicyComparisonTests(ITestOutputHelper output)
{
    public static readonly IReadOnlyDictionary<string, string> Shortfalls = new Dictionary<string, string>
    {
        ["60-1-ec2log r3 s4"] = "cheaper (−3.5 %) but 2.7 points fewer hits: the measured rate cannot tell this log's 141 s lull from a fading key, the thesis's configured rate can.",
        ["12-spike-simple-100-250 r9 s4"] = "2.5 points more hits but +0.8 % cost: the spike's tail has the log's rate (≈ 3/min), so it keeps the node to the end of the window; the thesis, configured with rate 9, cuts it.",
        ["38-spike-simple-300-600 r9 s4"] = "4.2 points more hits but +22 % cost: same reason, a long tail at ≈ 3/min.",
    };

    [Theory]
    [MemberData(nameof(ThesisReproductionTests.Rows), MemberType = typeof(ThesisReproductionTests))]
    public void DefaultPolicy_is_cheaper_at_equal_or_better_hit_rate(string file, double rate, int sensitivity, double thesisHit, double thesisCost)
    {
        var trace = TraceFormat.Load(ThesisTraces.Path(file));
        var thesis = ThesisReproductionTests.MeanOverSeeds(trace, rate, sensitivity, PolicyKind.Thesis);
        var ours = ThesisReproductionTests.MeanOverSeeds(trace, rate, sensitivity, PolicyKind.Default);
        string row = ThesisReproductionTests.RowName(file, rate, sensitivity);
        bool wins = ours.Hit >= thesis.Hit && ours.Cost < thesis.Cost;
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
