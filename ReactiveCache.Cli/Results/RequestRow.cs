namespace ReactiveCache.Cli.Results;

/// <summary>One request: seconds from the start, key, serving layer, latency in ms.</summary>
public sealed record RequestRow(double Time, string Key, string Layer, double LatencyMs);
