namespace ReactiveCache.Domain.Costs;

/// <summary>
/// docs/thesis.md §3: ours = Lambda billed ms + invocations + node seconds (minimum per start) + S3 GETs
/// (client GETs served by S3 + one per cold start + one per node load); ElastiCache = started node-hours +
/// its S3 GETs; S3-only = requests × GET price. Gateways, orchestrator, transfer and storage are excluded.
/// </summary>
public static class CostModel
{
    private const decimal SecondsPerHour = 3600m;

    public static CostBreakdown Price(Usage usage, PriceTable prices)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(prices);
        decimal s3 = usage.S3Gets * prices.S3GetPerRequest;
        decimal lambda = (usage.FunctionBilledMs * prices.LambdaPerMs) + (usage.FunctionInvocations * prices.LambdaPerRequest);
        decimal nodeSeconds = 0m;
        foreach (double run in usage.NodeRunSeconds)
        {
            nodeSeconds += BilledNodeSeconds(run, prices);
        }

        decimal redis = (nodeSeconds / SecondsPerHour * prices.NodePerHour) + (usage.ElastiCacheNodeHours * prices.ElastiCachePerHour);
        return new CostBreakdown(s3, lambda, redis);
    }

    /// <summary>Per-second billing with the minimum per start.</summary>
    public static decimal BilledNodeSeconds(double runSeconds, PriceTable prices) =>
        Math.Max((decimal)runSeconds, prices.NodeMinimumSeconds);

    /// <summary>Node-hours ElastiCache bills for a run of this length (every started hour).</summary>
    public static long ElastiCacheHours(TimeSpan duration) =>
        duration <= TimeSpan.Zero ? 0 : (long)Math.Ceiling(duration.TotalHours - 1e-9);

    /// <summary>S3-only: every request is a GET.</summary>
    public static CostBreakdown S3Only(long requests, PriceTable prices) =>
        new(requests * prices.S3GetPerRequest, 0m, 0m);
}
