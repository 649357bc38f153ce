namespace ReactiveCache.Orchestrator.Invalidation;

/// <summary>What was done with a notification: the keys invalidated, and how many changes were not ours.</summary>
public sealed record InvalidationResult(IReadOnlyList<string> Invalidated, int Ignored);
