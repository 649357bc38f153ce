namespace ReactiveCache.Orchestrator.Control;

/// <summary>One object as the control API shows it.</summary>
public sealed record ObjectStateView(string Key, string State, int Count, IReadOnlyList<DateTimeOffset> LastRequests);
