using ReactiveCache.Domain.Costs;
using ReactiveCache.Domain.Simulation;
using ReactiveCache.Domain.Traces;

namespace ReactiveCache.UnitTests.Domain.Costs;

/// <summary>The EClog baselines of docs/thesis.md §4, exactly as the thesis's stats files print them.</summary>
public sealed class CostModelTests
{
    private static readonly Trace EcLog = TraceFormat.Load(ThesisTraces.Path("60-1-ec2log.txt"));

    [Fact]
    public void EcLog_window_is_one_hour_with_175_requests()
    {
        Assert.Equal(TimeSpan.FromHours(1), EcLog.Duration);
        Assert.Equal(175, EcLog.Count);
    }

    [Fact]
    public void Always_on_node_costs_0_0134_plus_one_GET()
    {
        var r = Simulator.Run(EcLog, new SimulationOptions { System = SystemKind.AlwaysOn });
        Assert.Equal(0.0134m, r.Cost.Redis);
        Assert.Equal(0.01340043m, r.Cost.Total);
        Assert.Equal(0.0134, Math.Round((double)r.Cost.Total, 4));
    }

    [Fact]
    public void ElastiCache_costs_0_019_plus_one_GET()
    {
        var r = Simulator.Run(EcLog, new SimulationOptions { System = SystemKind.ElastiCache });
        Assert.Equal(0.01900043m, r.Cost.Total); // EC-60-1-ec2log-final-stats.txt: total cost 0.01900043
        Assert.Equal(99.43, Math.Round(r.HitPercent, 2));
    }

    [Fact]
    public void S3_only_costs_175_GETs()
    {
        var r = Simulator.Run(EcLog, new SimulationOptions { System = SystemKind.S3Only });
        Assert.Equal(0.00007525m, r.Cost.Total); // S3-60-1-ec2log-final-stats.txt: total cost 0.00007525
        Assert.Equal(0.0000753m, Math.Round(r.Cost.Total, 7, MidpointRounding.AwayFromZero)); // docs/thesis.md's rounding
        Assert.Equal(0, r.HitPercent);
    }

    [Fact]
    public void Node_runs_are_billed_at_least_60_seconds_each()
    {
        var usage = new Usage();
        usage.NodeRunSeconds.Add(10);
        usage.NodeRunSeconds.Add(120);
        var cost = CostModel.Price(usage, PriceTable.ThesisFrankfurt);
        Assert.Equal(180m / 3600m * 0.0134m, cost.Redis);
    }

    [Fact]
    public void Reactive_cost_sums_lambda_node_and_every_S3_GET()
    {
        // system-30-poisson-3-final-3-stats.txt: 499976 ms, 21 invokes, 281 s, 44 + 1 + 1 GETs = 0.009419523644…
        var usage = new Usage { FunctionBilledMs = 499976, FunctionInvocations = 21, ClientS3Gets = 44, ColdStartS3Gets = 1, NodeLoadS3Gets = 1 };
        usage.NodeRunSeconds.Add(281);
        var cost = CostModel.Price(usage, PriceTable.ThesisFrankfurt);
        Assert.Equal(0.0094195236444, Math.Round((double)cost.Total, 13));
    }

    [Fact]
    public void ElastiCache_bills_every_started_hour()
    {
        Assert.Equal(1, CostModel.ElastiCacheHours(TimeSpan.FromMinutes(30)));
        Assert.Equal(1, CostModel.ElastiCacheHours(TimeSpan.FromHours(1)));
        Assert.Equal(2, CostModel.ElastiCacheHours(TimeSpan.FromMinutes(61)));
    }
}
