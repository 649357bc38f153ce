using StackExchange.Redis;

namespace ReactiveCache.Gateway.CacheNode;

/// <summary>One read's hold on the node; dispose when the read (and its streaming) is over.</summary>
public readonly struct CacheNodeLease : IDisposable
{
    private readonly CacheNodeConnection.Node? _node;

    internal CacheNodeLease(CacheNodeConnection.Node node, IDatabase database)
    {
        _node = node;
        Database = database;
    }

    public IDatabase Database { get; }

    public void Dispose() => _node?.Release();
}
