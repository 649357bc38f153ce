using ReactiveCache.Domain.Policy;

namespace ReactiveCache.Lambda.Serving;

/// <summary>
/// The invocation currently serving: its keys and its life (<see cref="FunctionLifetime"/>, the thesis's
/// rules), guarded by a lock because tunnelled GETs, the control stream and the handler all touch it.
/// </summary>
public sealed class ActiveInvocation(string id, IReadOnlySet<string> keys, FunctionLifetime lifetime, TimeProvider time)
{
    private readonly TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _served;

    public string Id { get; } = id;

    public IReadOnlySet<string> Keys { get; } = keys;

    public long Served => Interlocked.Read(ref _served);

    /// <summary>Completes when <c>shutdown</c> arrives (the life ends before its deadline).</summary>
    public Task ShutdownRequested => _changed.Task;

    public void OnServed()
    {
        Interlocked.Increment(ref _served);
        lock (lifetime)
        {
            lifetime.OnServed(time.GetUtcNow());
        }
    }

    /// <summary>The first tunnel connected: the life's first TICK counts from now.</summary>
    public void OnReady()
    {
        lock (lifetime)
        {
            lifetime.OnReady(time.GetUtcNow());
        }
    }

    public void KeepRunning()
    {
        lock (lifetime)
        {
            lifetime.KeepRunning();
        }
    }

    public void Shutdown()
    {
        lock (lifetime)
        {
            lifetime.Shutdown();
        }

        _changed.TrySetResult();
    }

    /// <summary>When the life ends if nothing changes, and whether it already has.</summary>
    public (DateTimeOffset EndsAt, bool IsOver, bool IsShutDown, bool IsHeld, DateTimeOffset Timeout) Snapshot()
    {
        lock (lifetime)
        {
            var now = time.GetUtcNow();
            return (lifetime.EndsAt, lifetime.IsOver(now), lifetime.IsShutDown, lifetime.IsHeld, lifetime.Timeout);
        }
    }
}
