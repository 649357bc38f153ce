namespace ReactiveCache.Cli.Commands.Report;

public sealed record ThesisRow(string Trace, double Rate, int Sensitivity, double Hit, double Cost, double? MeanLatencyMs);
