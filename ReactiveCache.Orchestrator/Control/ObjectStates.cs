using System.Collections.Concurrent;

namespace ReactiveCache.Orchestrator.Control;

/// <summary>The objects the orchestrator knows of and the state the policy last put each in.</summary>
public sealed class ObjectStates
{
    private readonly ConcurrentDictionary<string, ObjectStateView> _objects = new(StringComparer.Ordinal);

    public IReadOnlyList<ObjectStateView> All => [.. _objects.Values.OrderBy(o => o.Key, StringComparer.Ordinal)];

    public ObjectStateView? Find(string key) => _objects.GetValueOrDefault(key);

    public void Set(ObjectStateView view) => _objects[view.Key] = view;
}
