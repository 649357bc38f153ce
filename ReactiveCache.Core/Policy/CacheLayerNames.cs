namespace ReactiveCache.Core.Policy;

/// <summary>Wire names of <see cref="CacheLayer"/> (the <c>Content-Origin</c> header values).</summary>
public static class CacheLayerNames
{
    public const string S3 = "s3";
    public const string Lambda = "lambda";
    public const string Redis = "redis";

    public static string ToName(this CacheLayer layer) => layer switch
    {
        CacheLayer.Lambda => Lambda,
        CacheLayer.Redis => Redis,
        _ => S3,
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
