using ReactiveCache.Core.Concurrency;
using StackExchange.Redis;

namespace ReactiveCache.Gateway.CacheNode;

/// <summary>One read's hold on the node; dispose when the read (and its streaming) is over.</summary>
public readonly struct CacheNodeLease : IDisposable
{
    private readonly InFlightGate? _reads;

    internal CacheNodeLease(InFlightGate reads, IDatabase database)
    {
        _reads = reads;
        Database = database;
    }

    public IDatabase Database { get; }

    public void Dispose() => _reads?.Exit();
}
