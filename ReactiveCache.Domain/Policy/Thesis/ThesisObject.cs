using ReactiveCache.Domain.Policy.Configuration;

namespace ReactiveCache.Domain.Policy.Thesis;

/// <summary>The thesis's <c>ObjectState</c>: one object's state, counter and last request timestamps.</summary>
public sealed class ThesisObject(string key)
{
    public string Key { get; } = key;

    public ObjectState State { get; internal set; } = ObjectState.S3;

    /// <summary>Events counted in the Lambda and RestrictedLambda states (reset when a function returns).</summary>
    public int LambdaCount { get; internal set; }

    public RequestTimestamps Timestamps { get; } = new(PolicyParameters.TimestampQueueSize);

    /// <summary>Where the gateways send the key.</summary>
    public CacheLayer Route { get; internal set; } = CacheLayer.S3;

    /// <summary>Functions invoked for the key that have not returned yet.</summary>
    public int FunctionsRunning { get; internal set; }

    /// <summary>The last function was invoked from RedisShutdown (the thesis's restricted Lambda).</summary>
    internal bool LastFunctionRestricted { get; set; }

    /// <summary>The layers the key was refused for its size: it does not go there again until its object changes.</summary>
    public SizeRefusals TooLarge { get; internal set; }

    /// <summary>When the next one-minute node check is due (RedisRunning only).</summary>
    public DateTimeOffset? NextCheckAt { get; internal set; }
}
