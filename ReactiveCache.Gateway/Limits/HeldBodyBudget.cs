namespace ReactiveCache.Gateway.Limits;

/// <summary>
/// The memory all requests together may use for bodies held back whole (a function's answer held until it is
/// complete, an origin object shared by coalesced requests): <see cref="GatewayLimitsOptions.HeldBodiesMaxBytes"/>.
/// A request that cannot reserve its bytes streams instead of holding back (it keeps its answer, and loses only
/// the chance to fall back after its first byte). Written by hand: no served package counts bytes across requests.
/// </summary>
public sealed class HeldBodyBudget(long capacity)
{
    private long _held;

    public long Capacity { get; } = capacity;

    /// <summary>Bytes reserved now.</summary>
    public long Held => Interlocked.Read(ref _held);

    /// <summary>Reserves <paramref name="bytes"/>, or returns false (reserving nothing) when they do not fit.</summary>
    public bool TryReserve(long bytes)
    {
        var held = Interlocked.Read(ref _held);
        while (true)
        {
            if (held + bytes > Capacity)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _held, held + bytes, held);
            if (seen == held)
            {
                return true;
            }

            held = seen;
        }
    }

    public void Release(long bytes) => Interlocked.Add(ref _held, -bytes);
}
