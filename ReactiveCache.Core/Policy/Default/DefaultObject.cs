namespace ReactiveCache.Core.Policy.Default;

/// <summary>One key under <see cref="DefaultPolicy"/>: state, measured gaps, and when it is due to leave the node.</summary>
public sealed class DefaultObject(string key)
{
    public string Key { get; } = key;

    public ObjectState State { get; internal set; } = ObjectState.S3;

    public RequestTimestamps Timestamps { get; } = new(5);

    public CacheLayer Route { get; internal set; } = CacheLayer.S3;

    public int FunctionsRunning { get; internal set; }

    /// <summary>When the key leaves the node unless another request comes (RedisRunning only).</summary>
    public DateTimeOffset? LeaveAt { get; internal set; }

    /// <summary>Mean gap between the kept timestamps, or null with fewer than two.</summary>
    public TimeSpan? MeanGap => Timestamps.Count < 2
        ? null
        : (Timestamps.Newest - Timestamps.Oldest) / (Timestamps.Count - 1);
}
