namespace ReactiveCache.Domain.Costs;

/// <summary>
/// Prices as data. Every price is in USD. <see cref="NodePerHour"/> is the self-hosted cache node
/// (EC2, billed per second with <see cref="NodeMinimumSeconds"/> per start); ElastiCache is billed
/// per started node-hour.
/// </summary>
public sealed record PriceTable(
    string Name,
    string Region,
    decimal S3GetPerRequest,
    decimal LambdaPerMs,
    decimal LambdaPerRequest,
    decimal NodePerHour,
    int NodeMinimumSeconds,
    decimal ElastiCachePerHour)
{
    /// <summary>
    /// The thesis's Frankfurt (eu-central-1) prices, as used by its evaluation
    /// (code/evaluation/evaluation/helper/stats.py in bunert/caching-system; docs/thesis.md §3):
    /// S3 GET $0.00043 / 1000, EC2 t2.micro $0.0134 / h, ElastiCache cache.t2.micro $0.019 / h,
    /// Lambda 1024 MB $0.0000000167 / ms + $0.0000002 / request.
    /// </summary>
    public static PriceTable ThesisFrankfurt { get; } = new(
        Name: "thesis-frankfurt",
        Region: "eu-central-1",
        S3GetPerRequest: 0.00000043m,
        LambdaPerMs: 0.0000000167m,
        LambdaPerRequest: 0.0000002m,
        NodePerHour: 0.0134m,
        NodeMinimumSeconds: 60,
        ElastiCachePerHour: 0.019m);

    /// <summary>
    /// Current on-demand list prices in us-east-1 (N. Virginia), read from AWS's public price pages
    /// (aws.amazon.com/s3/pricing: S3 Standard GET $0.0004 per 1,000; aws.amazon.com/lambda/pricing:
    /// x86 $0.0000166667 per GB-second, i.e. $0.0000000166667 per ms at 1024 MB, and $0.20 per 1M requests;
    /// aws.amazon.com/ec2/pricing/on-demand: t2.micro Linux $0.0116 / h, per-second billing with a
    /// 60 s minimum; aws.amazon.com/elasticache/pricing: cache.t2.micro $0.017 / h). Check the pages
    /// before relying on them: list prices change.
    /// </summary>
    public static PriceTable UsEast1 { get; } = new(
        Name: "us-east-1",
        Region: "us-east-1",
        S3GetPerRequest: 0.0000004m,
        LambdaPerMs: 0.0000000166667m,
        LambdaPerRequest: 0.0000002m,
        NodePerHour: 0.0116m,
        NodeMinimumSeconds: 60,
        ElastiCachePerHour: 0.017m);

    public static IReadOnlyList<PriceTable> All { get; } = [ThesisFrankfurt, UsEast1];

    public static PriceTable? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(p.Region, name, StringComparison.OrdinalIgnoreCase));
}
