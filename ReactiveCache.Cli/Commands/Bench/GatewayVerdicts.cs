namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>The verdicts of <c>bench gateway</c>: one rule a line, judged for its object (or every object).</summary>
public static class GatewayVerdicts
{
    public const string Small = "1KB.txt";
    public const string Large = "1MB.txt";

    public static readonly IReadOnlyList<VerdictRule> Rules =
    [
        // P1: the gateway's Redis path against its floor, bare Kestrel plus the one Redis read it must make.
        new("P1", GatewayTarget.GatewayRedis, GatewayTarget.RedisFloor, BenchMetric.Rps, Threshold: 0.95, Object: Small),
        new("P1", GatewayTarget.GatewayRedis, GatewayTarget.RedisFloor, BenchMetric.Cpu, Threshold: 5, Object: Small, Scale: VerdictScale.Difference),
        new("P1", GatewayTarget.GatewayRedis, GatewayTarget.RedisFloor, BenchMetric.Rps, Threshold: 1.0, Object: Large),
        // P2: the Lambda path (through the tunnel) against the YARP hop it must make; at 1 MB against the Redis path.
        // Blocked at 1 KB when a bare YARP hop to another process (the function's is one) misses the in-process hop too.
        new("P2", GatewayTarget.GatewayLambda, GatewayTarget.YarpFloor, BenchMetric.Rps, Threshold: 1.0, Object: Small, Floor: GatewayTarget.ProcessHopFloor),
        new("P2", GatewayTarget.GatewayLambda, GatewayTarget.GatewayRedis, BenchMetric.Rps, Threshold: 1.0, Object: Large, Floor: GatewayTarget.YarpFloor),
        // P3: the gateway's Redis path against the peer, nginx answering from its proxy_cache; blocked when even
        // the Redis floor (bare Kestrel + 1 Redis read) is below the threshold.
        new("P3", GatewayTarget.GatewayRedis, GatewayTarget.Nginx, BenchMetric.Rps, Threshold: 0.8, Object: Small, Floor: GatewayTarget.RedisFloor),
        new("P3", GatewayTarget.GatewayRedis, GatewayTarget.Nginx, BenchMetric.Rps, Threshold: 1.0, Object: Large, Floor: GatewayTarget.RedisFloor),
        // For reference, every object: against bare Kestrel, and what each floor's hop costs.
        new(null, GatewayTarget.GatewayRedis, GatewayTarget.Bare, BenchMetric.Rps),
        new(null, GatewayTarget.GatewayRedis, GatewayTarget.Bare, BenchMetric.P99),
        new(null, GatewayTarget.GatewayRedis, GatewayTarget.RedisFloor, BenchMetric.P99),
        new(null, GatewayTarget.RedisFloor, GatewayTarget.Bare, BenchMetric.Rps),
        new(null, GatewayTarget.Nginx, GatewayTarget.Bare, BenchMetric.Rps),
        new(null, GatewayTarget.YarpFloor, GatewayTarget.Bare, BenchMetric.Rps),
        new(null, GatewayTarget.GatewayLambda, GatewayTarget.YarpFloor, BenchMetric.Cpu, Scale: VerdictScale.Difference),
        new(null, GatewayTarget.ProcessHopFloor, GatewayTarget.YarpFloor, BenchMetric.Rps),
        new(null, GatewayTarget.GatewayLambda, GatewayTarget.ProcessHopFloor, BenchMetric.Rps),
        new(null, GatewayTarget.GatewayLambda, GatewayTarget.ProcessHopFloor, BenchMetric.Cpu, Scale: VerdictScale.Difference),
        new(null, GatewayTarget.GatewayLambda, GatewayTarget.GatewayRedis, BenchMetric.Rps),
    ];

    /// <summary>Every rule whose rows were measured, per object, objects first.</summary>
    public static IReadOnlyList<Verdict> Judge(GatewayBenchResults results, IEnumerable<VerdictRule>? rules = null) =>
        results.Objects.SelectMany(o => (rules ?? Rules).Select(rule => rule.Judge(results, o)).OfType<Verdict>()).ToList();
}
