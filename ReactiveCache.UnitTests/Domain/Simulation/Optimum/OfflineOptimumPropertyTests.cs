using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Simulation;
using ReactiveCache.Domain.Simulation.Optimum;
using ReactiveCache.Domain.Traces;

namespace ReactiveCache.UnitTests.Domain.Simulation.Optimum;

/// <summary>
/// The offline optimum is a lower bound on J: on random bursty multi-key traces, no policy (ours, the thesis's, the
/// two baselines) has a smaller J than OPT with the same seed's boot times, and OPT is at most the cheaper of
/// always-on and S3-only
/// (run as policies).
/// </summary>
public sealed class OfflineOptimumPropertyTests
{
    private static readonly double[] GapScales = [0.3, 3, 40, 400];

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (int seed = 1; seed <= 24; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void No_policy_beats_the_optimum_and_the_optimum_beats_both_baselines(int seed)
    {
        var trace = RandomTrace(seed);
        int sensitivity = 1 + (seed % 5);
        var options = new SimulationOptions { Rate = 3, Sensitivity = sensitivity, Seed = seed, RecordRequests = false };
        var optimum = OfflineOptimum.Solve(trace, options);
        Assert.True(optimum.Exact);
        double opt = optimum.ObjectiveUsd;
        const double Tolerance = 1e-9;
        var j = new Dictionary<PolicyKind, double>();
        foreach (var policy in new[] { PolicyKind.Default, PolicyKind.Thesis, PolicyKind.AlwaysOn, PolicyKind.S3Only })
        {
            j[policy] = (double)Simulator.Run(trace, options with { Policy = policy }).ObjectiveUsd;
            Assert.True(j[policy] >= opt - Tolerance, $"seed {seed} s{sensitivity}: {policy} J {j[policy]} < OPT {opt}");
        }

        // the baselines as policies (the node starts at the first request and boots, as OPT's must); the always-on
        // system of the baselines is up from t = 0 without a boot, which no reactive schedule can do
        double baselines = Math.Min(j[PolicyKind.AlwaysOn], j[PolicyKind.S3Only]);
        Assert.True(opt <= baselines + Tolerance, $"seed {seed}: OPT {opt} > min(always-on, s3-only) {baselines}");
        Assert.Equal((double)Simulator.Run(trace, options with { System = SystemKind.S3Only }).ObjectiveUsd, j[PolicyKind.S3Only], 9);
    }

    // 1–5 keys; phases of requests whose gaps are exponential around a scale drawn per phase (bursts and lulls)
    private static Trace RandomTrace(int seed)
    {
        var random = new Random(seed);
        int keys = random.Next(1, 6);
        int count = random.Next(20, 400);
        var requests = new List<TraceRequest>(count);
        double t = 0;
        double scale = GapScales[random.Next(GapScales.Length)];
        for (int i = 0; i < count; i++)
        {
            if (random.NextDouble() < 0.05)
            {
                scale = GapScales[random.Next(GapScales.Length)];
            }

            t += -scale * Math.Log(1 - random.NextDouble());
            requests.Add(new TraceRequest(i, t, "GET", FormattableString.Invariant($"k{random.Next(keys)}")));
        }

        return new Trace(FormattableString.Invariant($"random-{seed}"), requests);
    }
}
