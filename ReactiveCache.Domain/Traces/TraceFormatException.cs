namespace ReactiveCache.Domain.Traces;

/// <summary>A trace (or log) line that cannot be read; <see cref="LineNumber"/> is 1-based.</summary>
public sealed class TraceFormatException(string source, int lineNumber, string reason)
    : FormatException($"{source}:{lineNumber}: {reason}")
{
    public string SourceName { get; } = source;

    public int LineNumber { get; } = lineNumber;

    public string Reason { get; } = reason;
}
