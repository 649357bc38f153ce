namespace ReactiveCache.UnitTests;

/// <summary>Tests that measure wall-clock time run alone, not beside CPU-heavy ones.</summary>
[CollectionDefinition(nameof(TimingSensitive), DisableParallelization = true)]
public sealed class TimingSensitive;
