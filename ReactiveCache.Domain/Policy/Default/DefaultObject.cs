namespace ReactiveCache.Domain.Policy.Default;

/// <summary>One key under <see cref="DefaultPolicy"/>: state, measured rate, and when it is due to leave the node.</summary>
public sealed class DefaultObject(string key)
{
    public string Key { get; } = key;

    public ObjectState State { get; internal set; } = ObjectState.S3;

    /// <summary>The last 5 request timestamps (the short-run rate).</summary>
    public RequestTimestamps Timestamps { get; } = new(5);

    /// <summary>Exponentially weighted mean gap between requests (the long-run rate), null before the second request.</summary>
    public TimeSpan? LongRunGap { get; private set; }

    public CacheLayer Route { get; internal set; } = CacheLayer.S3;

    public int FunctionsRunning { get; internal set; }

    /// <summary>When the key leaves the node unless another request comes (RedisRunning only).</summary>
    public DateTimeOffset? LeaveAt { get; internal set; }

    /// <summary>The time of this key's entry in the policy's due queue (at or before <see cref="LeaveAt"/>).</summary>
    internal DateTimeOffset? QueuedAt { get; set; }

    /// <summary>Mean gap between the kept timestamps, or null with fewer than two.</summary>
    public TimeSpan? ShortRunGap => Timestamps.Count < 2
        ? null
        : (Timestamps.Newest - Timestamps.Oldest) / (Timestamps.Count - 1);

    internal void Record(DateTimeOffset time, double smoothing)
    {
        if (Timestamps.Count > 0)
        {
            var gap = time - Timestamps.Newest;
            LongRunGap = LongRunGap is { } g ? (g * (1 - smoothing)) + (gap * smoothing) : gap;
        }

        Timestamps.Add(time);
    }
}
