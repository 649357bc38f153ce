namespace ReactiveCache.Core.Routing;

/// <summary>The layers an object can be served from, cheapest to keep first.</summary>
public enum CacheLayer
{
    /// <summary>The store of record: always holds the object; the route of every key without an entry.</summary>
    S3,

    /// <summary>A function holding the object in memory, reached through its tunnel.</summary>
    Lambda,

    /// <summary>The cache node (Redis protocol).</summary>
    Redis,
}

public static class CacheLayerNames
{
    /// <summary>The lower-case name used in <c>Content-Origin</c>, telemetry tags and logs.</summary>
    public static string Name(this CacheLayer layer) => layer switch
    {
        CacheLayer.S3 => "s3",
        CacheLayer.Lambda => "lambda",
        CacheLayer.Redis => "redis",
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer, null),
    };
}
