using Microsoft.Extensions.Options;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Policy.Configuration;

namespace ReactiveCache.Orchestrator.Control;

/// <summary>
/// The objects the orchestrator knows of and the state the policy last put each in. Bounded like the policy's own
/// state (<see cref="BoundedKeyMap{T}"/>, <c>Policy:MaxTrackedKeys</c>): an object at rest (S3, served by S3) is
/// forgotten after <see cref="IdleAfter"/> without news, or sooner while more than the capacity are held.
/// </summary>
public sealed class ObjectStates
{
    /// <summary>How long an object at rest stays visible after its last change (longer than the policy keeps it: for people reading <c>/state</c>).</summary>
    public static readonly TimeSpan IdleAfter = TimeSpan.FromMinutes(10);

    private readonly Lock _lock = new();
    private readonly BoundedKeyMap<ObjectStateView> _objects;

    public ObjectStates(IOptions<PolicyOptions> policy, TimeProvider time)
    {
        Bounds = new BoundedKeyMapSettings(policy.Value.MaxTrackedKeys, IdleAfter);
        _objects = new BoundedKeyMap<ObjectStateView>(Bounds, IsAtRest, time);
    }

    /// <summary>The bounds this projection keeps to (the engine's per-key counters keep to the same).</summary>
    public BoundedKeyMapSettings Bounds { get; }

    /// <summary>Objects held now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _objects.Count;
            }
        }
    }

    /// <summary>Objects forgotten so far (at rest and idle, or over the capacity).</summary>
    public long Forgotten
    {
        get
        {
            lock (_lock)
            {
                return _objects.Forgotten;
            }
        }
    }

    /// <summary>Up to <paramref name="limit"/> objects in key order, after the key <paramref name="after"/> (exclusive; null: from the first).</summary>
    public IReadOnlyList<ObjectStateView> Page(string? after, int limit)
    {
        lock (_lock)
        {
            return [.. _objects.Values
                .Where(v => after is null || string.CompareOrdinal(v.Key, after) > 0)
                .OrderBy(v => v.Key, StringComparer.Ordinal)
                .Take(limit)];
        }
    }

    public ObjectStateView? Find(string key)
    {
        lock (_lock)
        {
            return _objects.TryGetValue(key, out var view) ? view : null;
        }
    }

    public void Set(ObjectStateView view)
    {
        lock (_lock)
        {
            _objects.Set(view.Key, view);
        }
    }

    private static bool IsAtRest(ObjectStateView view) =>
        view.State == nameof(ObjectState.S3) && view.Route == CacheLayerNames.S3;
}
