using System.Collections.Concurrent;
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
    private int _inFlight;

    public ActiveInvocation? Active => _active;

    public int InFlight => Volatile.Read(ref _inFlight);

    public bool TryGet(string key, out InMemoryObject obj) => _objects.TryGetValue(key, out obj!);

    public void Put(string key, InMemoryObject obj) => _objects[key] = obj;

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

    public void Enter() => Interlocked.Increment(ref _inFlight);

    public void Exit() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Waits until no request is in flight, or <paramref name="timeout"/> passed.</summary>
    public async Task<bool> DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + timeout;
        while (InFlight > 0)
        {
            if (DateTime.UtcNow >= until)
            {
                return false;
            }

            await Task.Delay(5, cancellationToken);
        }

        return true;
    }
}
