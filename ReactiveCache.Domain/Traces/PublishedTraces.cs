namespace ReactiveCache.Domain.Traces;

/// <summary>
/// The thesis's published traces (the repository's <c>traces/thesis</c>) and the rate the thesis configured its
/// policy with for each (requests per object per minute; the latency trace, not in its tables, asks every 10 s).
/// </summary>
public static class PublishedTraces
{
    public static IReadOnlyList<(string File, double ThesisRate)> All { get; } =
    [
        ("60-1-ec2log.txt", 3),
        ("30-poisson-3.txt", 3),
        ("30-poisson-4.txt", 4),
        ("7-spike-simple-50-150.txt", 9),
        ("12-spike-simple-100-250.txt", 9),
        ("16-spike-simple-150-300.txt", 9),
        ("38-spike-simple-300-600.txt", 9),
        ("5-latency-30.txt", 6),
    ];

    /// <summary>The seven the thesis published results for (all but the latency trace).</summary>
    public static IEnumerable<(string File, double ThesisRate)> WithResults => All.Where(t => t.File != "5-latency-30.txt");
}
