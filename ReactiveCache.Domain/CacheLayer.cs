namespace ReactiveCache.Domain;

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

/// <summary>Wire names of <see cref="CacheLayer"/>: the <c>Content-Origin</c> header values, telemetry tags and logs.</summary>
public static class CacheLayerNames
{
    public const string S3 = "s3";
    public const string Lambda = "lambda";
    public const string Redis = "redis";

    public static string ToName(this CacheLayer layer) => layer switch
    {
        CacheLayer.S3 => S3,
        CacheLayer.Lambda => Lambda,
        CacheLayer.Redis => Redis,
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer, null),
    };

    /// <summary>Parses a <c>Content-Origin</c> value (case-insensitive; the thesis also wrote <c>S3</c>, <c>EC</c>).</summary>
    public static bool TryParse(string? value, out CacheLayer layer)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case S3:
                layer = CacheLayer.S3;
                return true;
            case Lambda:
                layer = CacheLayer.Lambda;
                return true;
            case Redis:
            case "ec":
            case "elasticache":
                layer = CacheLayer.Redis;
                return true;
            default:
                layer = CacheLayer.S3;
                return false;
        }
    }
}
