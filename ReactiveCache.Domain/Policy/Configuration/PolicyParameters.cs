namespace ReactiveCache.Domain.Policy.Configuration;

/// <summary>
/// The thesis's <c>conf.yaml</c> (core/config/config.go): everything the per-object state machine needs.
/// </summary>
/// <param name="Tick">Life a function gets at start and per served GET.</param>
/// <param name="LambdaWindowElements">Requests that must fall within <paramref name="LambdaThreshold"/> (thesis: 2).</param>
/// <param name="LambdaThreshold">Two consecutive requests closer than this start a function.</param>
/// <param name="RedisThreshold">Events counted in the Lambda state beyond which the node is started (thesis: 4).</param>
/// <param name="RedisUtilization">The node keeps the object while now − oldest of the last 5 requests is at most this.</param>
/// <param name="RedisCheckInterval">How often the node check runs per object (thesis: a one-minute ticker).</param>
public sealed record PolicyParameters(
    TimeSpan Tick,
    int LambdaWindowElements,
    TimeSpan LambdaThreshold,
    int RedisThreshold,
    TimeSpan RedisUtilization,
    TimeSpan RedisCheckInterval)
{
    /// <summary>How many request timestamps are kept per object (thesis: <c>queueSize = 5</c>).</summary>
    public const int TimestampQueueSize = 5;

    public static readonly TimeSpan DefaultRedisCheckInterval = TimeSpan.FromMinutes(1);
}
