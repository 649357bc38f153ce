namespace ReactiveCache.Orchestrator.Invalidation;

/// <summary>
/// What was done with a notification: the keys invalidated, how many changes were not ours, and whether it was an SNS
/// subscription confirmation that was confirmed.
/// </summary>
public sealed record InvalidationResult(IReadOnlyList<string> Invalidated, int Ignored, bool SubscriptionConfirmed = false);
