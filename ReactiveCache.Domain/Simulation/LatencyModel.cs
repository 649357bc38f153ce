namespace ReactiveCache.Domain.Simulation;

/// <summary>
/// Mean end-to-end GET latency per path in ms. Defaults: docs/thesis.md §4, client outside AWS, 100 B object
/// (the thesis's test object is 144 B).
/// </summary>
public sealed record LatencyModel(
    double S3Ms = 76.7,
    double LambdaMs = 25.4,
    double RedisMs = 25.2,
    double S3OnlyMs = 89.2,
    double ElastiCacheMs = 25.1);
