using ReactiveCache.Domain.Policy;

namespace ReactiveCache.Domain;

/// <summary>
/// The largest object each layer may hold. A function keeps its objects in its own memory and serves them through the
/// tunnel it dials out to the gateway, never through its invocation's response (that carries a small JSON result), so
/// Lambda's 6 MB response payload cap binds nothing here: what binds a function is its memory
/// (<see cref="FunctionMaxBytesFor"/>). The node holds objects up to its configured size, and S3 holds anything. A key
/// larger than a layer's limit is never routed to it nor put on it (the rule; the orchestrator applies it).
/// </summary>
public readonly record struct LayerSizeLimits(long FunctionMaxBytes, long NodeMaxBytes)
{
    /// <summary>The function's memory when none is configured: the stack's <c>FunctionMemory</c> and the emulator's default.</summary>
    public const int FunctionDefaultMemoryMb = 1024;

    /// <summary>
    /// What a function needs besides its objects: the Native AOT runtime and its heap, Kestrel behind the tunnel, the
    /// tunnel connections' buffers, the store client. Kept free of objects.
    /// </summary>
    public const int FunctionRuntimeReserveMb = 128;

    /// <summary>The largest value a Redis-protocol server takes by default (<c>proto-max-bulk-len</c>): 512 MB.</summary>
    public const long NodeDefaultMaxBytes = 512L * 1024 * 1024;

    public static LayerSizeLimits Default => new(FunctionMaxBytesFor(FunctionDefaultMemoryMb), NodeDefaultMaxBytes);

    /// <summary>
    /// The largest object a function with <paramref name="memoryMb"/> MB of memory can hold and serve: half of what is
    /// left after <see cref="FunctionRuntimeReserveMb"/>. Half, because a function holds each object as one array of its
    /// size and, when a revalidation finds the object changed, reads the new version whole while responses in flight
    /// still hold the old one: two copies at once. 1024 MB gives 448 MiB; the gateway's hold-back and tunnel stream
    /// the body, so nothing else on the way needs the whole object.
    /// </summary>
    public static long FunctionMaxBytesFor(int memoryMb) => Math.Max(0, memoryMb - FunctionRuntimeReserveMb) * 1024L * 1024 / 2;

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
