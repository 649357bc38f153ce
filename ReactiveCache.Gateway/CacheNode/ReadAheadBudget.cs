using ReactiveCache.Gateway.Telemetry;

namespace ReactiveCache.Gateway.CacheNode;

/// <summary>
/// The body chunks that all responses from the cache node together may request ahead of the one each is sending
/// (<see cref="CacheNodeOptions.ReadAheadBudgetChunks"/>): every chunk read is a buffer held until it is sent. A response
/// takes one per chunk it reads ahead and returns it once that chunk is sent or abandoned. In flight: the gauge
/// <see cref="GatewayTelemetry.ReadAheadChunksName"/>.
/// </summary>
public sealed class ReadAheadBudget
{
    private readonly int _size;
    private int _free;

    public ReadAheadBudget(int size, GatewayTelemetry telemetry)
    {
        _size = _free = size;
        telemetry.ObserveReadAhead(() => InFlight);
    }

    /// <summary>Chunks taken and not yet returned.</summary>
    public int InFlight => _size - Volatile.Read(ref _free);

    /// <summary>Takes one chunk when one is free.</summary>
    public bool TryTake()
    {
        var free = Volatile.Read(ref _free);
        while (free > 0)
        {
            var seen = Interlocked.CompareExchange(ref _free, free - 1, free);
            if (seen == free)
            {
                return true;
            }

            free = seen;
        }

        return false;
    }

    /// <summary>Returns a chunk, if <paramref name="taken"/>.</summary>
    public void Return(bool taken)
    {
        if (taken)
        {
            Interlocked.Increment(ref _free);
        }
    }
}
