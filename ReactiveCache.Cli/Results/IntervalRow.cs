namespace ReactiveCache.Cli.Results;

public sealed record IntervalRow(double Start, double End, string Label);
