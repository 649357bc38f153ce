using ReactiveCache.Orchestrator.CacheNode;

namespace ReactiveCache.UnitTests.Orchestrator.Engine;

/// <summary>
/// A cache node that starts and stops at once and counts both (its endpoint is never dialled); a test may make its
/// boots fail or hang, and kill it (<see cref="Running"/> false).
/// </summary>
internal sealed class FakeCacheNode : ICacheNode
{
    private int _starts;
    private int _stops;

    /// <summary>What the next boots do: null starts at once; otherwise the boot runs this (which may throw or hang).</summary>
    public Func<CancellationToken, Task>? Boot { get; set; }

    /// <summary>Whether the node's "process" is there (a test kills it by setting false).</summary>
    public bool Running { get; set; }

    /// <summary>A node left running by a previous orchestrator (found by <see cref="FindRunningAsync"/>).</summary>
    public CacheNodeEndpoint? LeftRunning { get; set; }

    public int Starts => Volatile.Read(ref _starts);

    public int Stops => Volatile.Read(ref _stops);

    public async Task<CacheNodeEndpoint> StartAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _starts);
        if (Boot is { } boot)
        {
            await boot(cancellationToken);
        }

        Running = true;
        return new CacheNodeEndpoint("127.0.0.1", 9);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _stops);
        Running = false;
        LeftRunning = null;
        return Task.CompletedTask;
    }

    public Task<bool> IsRunningAsync(CancellationToken cancellationToken) => Task.FromResult(Running);

    public Task<CacheNodeEndpoint?> FindRunningAsync(CancellationToken cancellationToken)
    {
        Running = LeftRunning is not null;
        return Task.FromResult(LeftRunning);
    }
}
