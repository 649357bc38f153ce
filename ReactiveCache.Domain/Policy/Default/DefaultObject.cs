namespace ReactiveCache.Domain.Policy.Default;

/// <summary>One key under <see cref="DefaultPolicy"/>: where it is served from, its learned gaps and its function.</summary>
public sealed class DefaultObject(string key)
{
    public string Key { get; } = key;

    /// <summary>S3, Lambda (a function holds it), RedisBootup (wanted on the node, loading or waiting for it), RedisRunning.</summary>
    public ObjectState State { get; internal set; } = ObjectState.S3;

    public CacheLayer Route { get; internal set; } = CacheLayer.S3;

    /// <summary>Gaps between this key's requests.</summary>
    public GapHistogram Gaps { get; } = new();

    public DateTimeOffset? LastRequest { get; internal set; }

    /// <summary>Functions invoked for the key that have not ended.</summary>
    public int FunctionsRunning { get; internal set; }

    /// <summary>When the newest function reaches its timeout.</summary>
    internal DateTimeOffset FunctionExpires { get; set; }

    /// <summary>Its load onto the running node failed: not loaded again before the node's next boot.</summary>
    public bool LoadFailed { get; internal set; }

    /// <summary>The layers the key was refused for its size: it does not go there again until its object changes.</summary>
    public SizeRefusals TooLarge { get; internal set; }

    /// <summary>When the policy shuts the key's functions unless another request comes first (null: none planned).</summary>
    public DateTimeOffset? FunctionUntil { get; internal set; }
}
