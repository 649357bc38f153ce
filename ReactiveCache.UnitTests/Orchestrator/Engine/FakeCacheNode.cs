using ReactiveCache.Orchestrator.CacheNode;

namespace ReactiveCache.UnitTests.Orchestrator.Engine;

/// <summary>A cache node that starts and stops at once and counts both (its endpoint is never dialled).</summary>
internal sealed class FakeCacheNode : ICacheNode
{
    private int _starts;
    private int _stops;

    public int Starts => Volatile.Read(ref _starts);

    public int Stops => Volatile.Read(ref _stops);

    public Task<CacheNodeEndpoint> StartAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _starts);
        return Task.FromResult(new CacheNodeEndpoint("127.0.0.1", 9));
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _stops);
        return Task.CompletedTask;
    }
}
