using ReactiveCache.Domain.Policy;

namespace ReactiveCache.Domain;

/// <summary>
/// The largest object each layer may hold: a function answers through a response no larger than
/// <see cref="FunctionResponseCap"/>, the node holds objects up to its configured size, and S3 holds anything. A key
/// larger than a layer's limit is never routed to it nor put on it (the rule; the orchestrator applies it).
/// </summary>
public readonly record struct LayerSizeLimits(long FunctionMaxBytes, long NodeMaxBytes)
{
    /// <summary>Lambda's limit on a synchronous response payload: 6 MB.</summary>
    public const long FunctionResponseCap = 6L * 1024 * 1024;

    /// <summary>The largest value a Redis-protocol server takes by default (<c>proto-max-bulk-len</c>): 512 MB.</summary>
    public const long NodeDefaultMaxBytes = 512L * 1024 * 1024;

    public static LayerSizeLimits Default => new(FunctionResponseCap, NodeDefaultMaxBytes);

    /// <summary>The largest object <paramref name="layer"/> may hold.</summary>
    public long MaxBytes(CacheLayer layer) => layer switch
    {
        CacheLayer.Lambda => FunctionMaxBytes,
        CacheLayer.Redis => NodeMaxBytes,
        _ => long.MaxValue,
    };

    /// <summary>Whether an object of <paramref name="size"/> bytes may be routed to (and put on) <paramref name="layer"/>.</summary>
    public bool Allows(CacheLayer layer, long size) => size <= MaxBytes(layer);

    /// <summary>The layers an object of <paramref name="size"/> bytes is too large for (S3 never is).</summary>
    public IReadOnlyList<CacheLayer> TooLargeFor(long size)
    {
        var tooLarge = new List<CacheLayer>(2);
        foreach (var layer in (ReadOnlySpan<CacheLayer>)[CacheLayer.Lambda, CacheLayer.Redis])
        {
            if (!Allows(layer, size))
            {
                tooLarge.Add(layer);
            }
        }

        return tooLarge;
    }

    /// <summary>The layer <paramref name="command"/> would put its key on (a function, a load, a route), or null.</summary>
    public static CacheLayer? TargetOf(in PolicyCommand command) => command.Kind switch
    {
        PolicyCommandKind.InvokeFunction or PolicyCommandKind.KeepRunning => CacheLayer.Lambda,
        PolicyCommandKind.LoadObject => CacheLayer.Redis,
        PolicyCommandKind.SetRoute => command.Layer,
        _ => null,
    };

    /// <summary>Whether <paramref name="command"/> may be carried out for an object of <paramref name="size"/> bytes.</summary>
    public bool Allows(in PolicyCommand command, long size) => TargetOf(command) is not { } layer || Allows(layer, size);
}
