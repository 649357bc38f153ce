namespace ReactiveCache.Domain.Policy;

/// <summary>
/// The layers one key was refused for being too large (<see cref="PolicyEventKind.ObjectTooLarge"/>), in one place for
/// every policy that keeps per-key state. The rule: once refused a layer, the key is not put there again (no function
/// started, no node booted or load issued for it, no route) until its object changes
/// (<see cref="PolicyEventKind.ObjectChanged"/>: the new version may be smaller), so a key larger than the node does not
/// boot it over and over, and one larger than a function does not get one started and refused at every burst. It stays
/// on the best layer it fits, S3 at worst (S3 takes anything). A refusal is not a failure of the node: no boot backoff.
/// <para>Held in the key's own state, so it is forgotten with it (<see cref="BoundedKeyMap{T}"/>): a forgotten key at most
/// costs one more refusal, and the orchestrator, which keeps the key's size, refuses again before anything is billed.</para>
/// </summary>
public readonly record struct SizeRefusals
{
    private readonly byte _layers;

    private SizeRefusals(byte layers) => _layers = layers;

    /// <summary>Whether any layer was refused.</summary>
    public bool Any => _layers != 0;

    /// <summary>Whether the key may go onto <paramref name="layer"/> (S3 always takes it).</summary>
    public bool Allows(CacheLayer layer) => layer == CacheLayer.S3 || (_layers & Bit(layer)) == 0;

    /// <summary>These refusals and <paramref name="layer"/>.</summary>
    public SizeRefusals With(CacheLayer layer) => layer == CacheLayer.S3 ? this : new SizeRefusals((byte)(_layers | Bit(layer)));

    private static int Bit(CacheLayer layer) => 1 << (int)layer;
}
