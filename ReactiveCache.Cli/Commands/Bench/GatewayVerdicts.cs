namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>The verdicts of <c>bench gateway</c>: one rule a line, judged for every object.</summary>
public static class GatewayVerdicts
{
    public static readonly IReadOnlyList<VerdictRule> Rules =
    [
        // The gateway's Redis path against bare Kestrel serving from memory.
        new(GatewayTarget.GatewayRedis, GatewayTarget.Bare, BenchMetric.Rps, Threshold: 0.8),
        new(GatewayTarget.GatewayRedis, GatewayTarget.Bare, BenchMetric.P99, Threshold: 1.5),
        // What one Redis read, and nothing else, costs the bare endpoint.
        new(GatewayTarget.RedisFloor, GatewayTarget.Bare, BenchMetric.Rps),
        // The Lambda path (through the tunnel) against the Redis path of the same gateway.
        new(GatewayTarget.GatewayLambda, GatewayTarget.GatewayRedis, BenchMetric.Rps, Threshold: 0.6),
        new(GatewayTarget.GatewayLambda, GatewayTarget.GatewayRedis, BenchMetric.P99),
        // What one YARP hop, and nothing else, costs against the Redis path.
        new(GatewayTarget.YarpFloor, GatewayTarget.GatewayRedis, BenchMetric.Rps),
    ];

    /// <summary>Every rule whose rows were measured, per object, objects first.</summary>
    public static IReadOnlyList<Verdict> Judge(GatewayBenchResults results, IEnumerable<VerdictRule>? rules = null) =>
        results.Objects.SelectMany(o => (rules ?? Rules).Select(rule => rule.Judge(results, o)).OfType<Verdict>()).ToList();
}
