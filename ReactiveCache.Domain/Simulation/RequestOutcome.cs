using ReactiveCache.Domain.Policy;

namespace ReactiveCache.Domain.Simulation;

/// <summary>One request of a run: when (s from start), which key, which layer served it, latency.</summary>
public readonly record struct RequestOutcome(double OffsetSeconds, string Key, CacheLayer Layer, double LatencyMs);
