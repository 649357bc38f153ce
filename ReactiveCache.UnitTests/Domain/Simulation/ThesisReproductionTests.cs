using ReactiveCache.Domain.Costs;
using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Simulation;
using ReactiveCache.Domain.Traces;
using Xunit.Abstractions;

namespace ReactiveCache.UnitTests.Domain.Simulation;

/// <summary>
/// THE reproduction: ThesisPolicy in the simulator on each published trace with the thesis's configurations
/// gives hit % within ±5 points and total cost within ±20 % of docs/thesis.md §4, as the mean over 20 seeds
/// (node boot times are random). Tolerances are fixed. A row that does not reproduce is listed in
/// <see cref="KnownGaps"/> with the reason; for such a row the test checks that it still misses (so the
/// list stays true) and prints the numbers. The node is billed as the thesis's evaluation billed it, from the
/// moment Redis answered (<see cref="NodeBilling.FromReady"/>); the rest of our evaluation bills as AWS does.
/// </summary>
public sealed class ThesisReproductionTests(ITestOutputHelper output)
{
    public const double HitTolerancePoints = 5.0;
    public const double CostTolerance = 0.20;
    private const int Seeds = 20;

    /// <summary>Rows outside the tolerance, named, with the reason (see the report in docs/results).</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownGaps = new Dictionary<string, string>();

    public static TheoryData<string, double, int, double, double> Rows => new()
    {
        { "60-1-ec2log.txt", 3, 2, 56.00, 0.0131 },
        { "60-1-ec2log.txt", 3, 3, 85.71, 0.0142 },
        { "60-1-ec2log.txt", 3, 4, 93.71, 0.0128 },
        { "30-poisson-3.txt", 3, 2, 17.07, 0.00552 },
        { "30-poisson-3.txt", 3, 3, 46.34, 0.00942 },
        { "30-poisson-3.txt", 3, 4, 73.17, 0.00958 },
        { "30-poisson-3.txt", 3, 5, 75.61, 0.0116 },
        { "30-poisson-4.txt", 4, 2, 37.29, 0.00702 },
        { "30-poisson-4.txt", 4, 3, 49.15, 0.0102 },
        { "30-poisson-4.txt", 4, 4, 74.58, 0.0162 },
        { "30-poisson-4.txt", 4, 5, 95.76, 0.0100 },
        { "7-spike-simple-50-150.txt", 9, 4, 95.33, 0.00193 },
        { "12-spike-simple-100-250.txt", 9, 4, 96.00, 0.00243 },
        { "16-spike-simple-150-300.txt", 9, 4, 95.33, 0.00353 },
        { "38-spike-simple-300-600.txt", 9, 4, 95.17, 0.00642 },
    };

    public static (double Hit, double Cost) MeanOverSeeds(Trace trace, double rate, int sensitivity, PolicyKind policy = PolicyKind.Thesis, NodeBilling billing = NodeBilling.FromReady)
    {
        double hit = 0, cost = 0;
        for (int seed = 1; seed <= Seeds; seed++)
        {
            var r = Simulator.Run(trace, new SimulationOptions { Policy = policy, Rate = rate, Sensitivity = sensitivity, Seed = seed, RecordRequests = false, NodeBilling = billing });
            hit += r.HitPercent;
            cost += (double)r.Cost.Total;
        }

        return (hit / Seeds, cost / Seeds);
    }

    public static string RowName(string file, double rate, int sensitivity) =>
        FormattableString.Invariant($"{Path.GetFileNameWithoutExtension(file)} r{rate} s{sensitivity}");

    [Theory]
    [MemberData(nameof(Rows))]
    public void ThesisPolicy_reproduces_the_thesis(string file, double rate, int sensitivity, double thesisHit, double thesisCost)
    {
        var trace = TraceFormat.Load(ThesisTraces.Path(file));
        var (hit, cost) = MeanOverSeeds(trace, rate, sensitivity);
        string row = RowName(file, rate, sensitivity);
        double costError = (cost - thesisCost) / thesisCost;
        bool hitOk = Math.Abs(hit - thesisHit) <= HitTolerancePoints;
        bool costOk = Math.Abs(costError) <= CostTolerance;
        string numbers = FormattableString.Invariant(
            $"{row}: hit {hit:0.00} % vs thesis {thesisHit:0.00} % ({hit - thesisHit:+0.00;-0.00} pt), cost ${cost:0.00000} vs ${thesisCost:0.00000} ({costError * 100:+0.0;-0.0} %)");
        output.WriteLine(numbers);
        if (KnownGaps.TryGetValue(row, out var reason))
        {
            output.WriteLine("known gap: " + reason);
            Assert.False(hitOk && costOk, $"{row} now reproduces: remove it from KnownGaps. {numbers}");
        }
        else
        {
            Assert.True(hitOk, $"{row} hit % out of ±{HitTolerancePoints} pt. {numbers}");
            Assert.True(costOk, $"{row} cost out of ±{CostTolerance:P0}. {numbers}");
        }
    }
}
