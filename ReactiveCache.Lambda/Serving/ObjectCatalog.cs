using System.Collections.Concurrent;
using ReactiveCache.Core.Concurrency;
using ReactiveCache.Core.Http;

namespace ReactiveCache.Lambda.Serving;

/// <summary>
/// The objects this execution environment holds (they survive into the next, warm, invocation) and
/// the invocation serving them now; counts in-flight requests so that the end of a life can drain.
/// </summary>
public sealed class ObjectCatalog
{
    private readonly ConcurrentDictionary<string, InMemoryObject> _objects = new(StringComparer.Ordinal);
    private volatile ActiveInvocation? _active;

    /// <summary>The requests being served; never closed (after the goodbyes no gateway sends more).</summary>
    private readonly InFlightGate _requests = new();

    public ActiveInvocation? Active => _active;

    public int InFlight => _requests.Count;

    public bool TryGet(string key, out InMemoryObject obj) => _objects.TryGetValue(key, out obj!);

    public void Put(string key, InMemoryObject obj) => _objects[key] = obj;

    public void Remove(string key) => _objects.TryRemove(key, out _);

    /// <summary>Drops every object but <paramref name="keys"/>: a warm environment holds only what its current invocation serves.</summary>
    public void Retain(IReadOnlyCollection<string> keys)
    {
        foreach (var key in _objects.Keys)
        {
            if (!keys.Contains(key, StringComparer.Ordinal))
            {
                _objects.TryRemove(key, out _);
            }
        }
    }

    public void Activate(ActiveInvocation invocation) => _active = invocation;

    public void Deactivate(ActiveInvocation invocation) => Interlocked.CompareExchange(ref _active, null, invocation);

    public void Enter() => _requests.Enter();

    public void Exit() => _requests.Exit();

    /// <summary>Waits until no request is in flight, or <paramref name="timeout"/> passed on <paramref name="time"/>.</summary>
    public Task<bool> DrainAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        _requests.WaitIdleAsync(timeout, time, cancellationToken);
}
