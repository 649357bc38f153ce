namespace ReactiveCache.Domain.Costs;

/// <summary>Cost per layer in USD. ElastiCache counts as the in-memory layer (<see cref="Redis"/>).</summary>
public sealed record CostBreakdown(decimal S3, decimal Lambda, decimal Redis)
{
    public decimal Total => S3 + Lambda + Redis;

    /// <summary>Keyed by the <c>Content-Origin</c> names: s3, lambda, redis.</summary>
    public IReadOnlyDictionary<string, decimal> ByLayer => new Dictionary<string, decimal>
    {
        ["s3"] = S3,
        ["lambda"] = Lambda,
        ["redis"] = Redis,
    };
}
