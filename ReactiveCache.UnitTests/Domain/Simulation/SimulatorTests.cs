using Stopwatch = System.Diagnostics.Stopwatch;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Simulation;
using ReactiveCache.Domain.Traces;
using ReactiveCache.Domain.Traces.Generators;
using ReactiveCache.Core.Routing;
using ReactiveCache.Domain;

namespace ReactiveCache.UnitTests.Domain.Simulation;

public sealed class SimulatorTests
{
    private static readonly Trace EcLog = TraceFormat.Load(ThesisTraces.Path("60-1-ec2log.txt"));

    [Fact]
    public void Same_seed_gives_the_same_run_and_rows_match_the_summary()
    {
        var options = new SimulationOptions { Rate = 3, Sensitivity = 4, Seed = 7 };
        var a = Simulator.Run(EcLog, options);
        var b = Simulator.Run(EcLog, options);
        Assert.Equal(a.Cost, b.Cost);
        Assert.Equal(a.Outcomes, b.Outcomes);
        Assert.Equal(EcLog.Count, a.Outcomes.Count);
        Assert.Equal(a.InMemory, a.Outcomes.Count(o => o.Layer != CacheLayer.S3));
        Assert.Equal(a.Usage.ClientS3Gets, a.Outcomes.Count(o => o.Layer == CacheLayer.S3));
        Assert.Equal(a.MeanLatencyMs, a.Outcomes.Average(o => o.LatencyMs), 9);
    }

    [Fact]
    public void EcLog_sensitivity_4_walks_the_thesis_path()
    {
        var r = Simulator.Run(EcLog, new SimulationOptions { Rate = 3, Sensitivity = 4, Seed = 1 });
        // the thesis's raw run (system-60-1-ec2log-final-3.0-4.txt): 93 s is the first Lambda hit, 744 s the first Redis hit
        Assert.Equal(CacheLayer.S3, r.Outcomes.Single(o => o.OffsetSeconds == 90).Layer);
        Assert.Equal(CacheLayer.Lambda, r.Outcomes.Single(o => o.OffsetSeconds == 93).Layer);
        Assert.Equal(CacheLayer.S3, r.Outcomes.Single(o => o.OffsetSeconds == 142).Layer);
        Assert.Equal(CacheLayer.Redis, r.Outcomes.Single(o => o.OffsetSeconds == 763).Layer);
        Assert.Equal(1, r.Usage.NodeStarts);
        Assert.Equal(4, r.Usage.FunctionInvocations);
    }

    [Fact]
    public void Thesis_optimal_serves_everything_from_memory_near_the_thesis_optimum()
    {
        var r = Simulator.Run(EcLog, new SimulationOptions { System = SystemKind.ThesisOptimal });
        Assert.Equal(100, r.HitPercent);
        double theory = (double)ThesisOptimalPlanner.ThesisTheoryCost(r, ReactiveCache.Domain.Costs.PriceTable.ThesisFrankfurt);
        Assert.InRange(theory, 0.0116 * 0.95, 0.0116 * 1.05); // docs/thesis.md: offline optimum ≈ 0.0116
    }

    [Fact]
    public void Many_keys_share_one_node()
    {
        var trace = ZipfTraceGenerator.Generate(keys: 20, skew: 1.0, ratePerMinute: 120, durationMinutes: 30, seed: 3);
        var r = Simulator.Run(trace, new SimulationOptions { Rate = 3, Sensitivity = 4, Seed = 1 });
        var redisKeys = r.Outcomes.Where(o => o.Layer == CacheLayer.Redis).Select(o => o.Key).Distinct().Count();
        Assert.True(redisKeys >= 2, $"expected several keys served from the node, got {redisKeys}");
        // one node: runs never overlap
        var runs = r.NodeRuns.OrderBy(n => n.Start).ToList();
        for (int i = 1; i < runs.Count; i++)
        {
            Assert.True(runs[i].Start >= runs[i - 1].End);
        }
    }

    [Fact]
    public void EcLog_simulates_in_under_50_ms()
    {
        var options = new SimulationOptions { Rate = 3, Sensitivity = 4 };
        for (int i = 0; i < 20; i++)
        {
            Simulator.Run(EcLog, options);
        }

        var sw = Stopwatch.StartNew();
        Simulator.Run(EcLog, options);
        sw.Stop();
        Assert.True(sw.Elapsed < TimeSpan.FromMilliseconds(50), $"took {sw.Elapsed.TotalMilliseconds} ms");
    }
}
