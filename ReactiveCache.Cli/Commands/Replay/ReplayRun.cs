using ReactiveCache.Cli.Results;

namespace ReactiveCache.Cli.Commands.Replay;

/// <summary>What a live replay observed, in trace order.</summary>
public sealed class ReplayRun(IReadOnlyList<RequestRow> rows, int failures, string? firstFailure)
{
    /// <summary>Layer recorded for a request that got no answer (or an error status).</summary>
    public const string FailedLayer = "failed";

    public IReadOnlyList<RequestRow> Rows { get; } = rows;

    public int Failures { get; } = failures;

    public string? FirstFailure { get; } = firstFailure;
}
