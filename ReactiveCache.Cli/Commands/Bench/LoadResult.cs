namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>What one run of a target measured, or several runs pooled (<see cref="Pool"/>).</summary>
/// <param name="Latency">The answered requests' latencies (one sample per answered request).</param>
/// <param name="Elapsed">The time measured (warm-up left out).</param>
/// <param name="ProcessCpu">CPU time this process (load generator and in-process servers) used while measuring.</param>
/// <param name="SideCpu">CPU time the other server process used while measuring: the cache node's (redis-server), or the function's for a Lambda row.</param>
/// <param name="ProcessAllocated">Bytes this process allocated on the managed heap while measuring (load generator and in-process servers).</param>
public sealed record LoadResult(LatencyHistogram Latency, long Errors, TimeSpan Elapsed, TimeSpan ProcessCpu, TimeSpan SideCpu, long ProcessAllocated = 0)
{
    /// <summary>Requests answered as expected (errors not counted).</summary>
    public long Requests => Latency.Count;

    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    public double ProcessCpuUsPerRequest => ProcessCpu.TotalMicroseconds / Math.Max(1, Requests);

    public double SideCpuUsPerRequest => SideCpu.TotalMicroseconds / Math.Max(1, Requests);

    /// <summary>Managed bytes allocated per request in this process: a row's minus its floor's is what the path under test allocates.</summary>
    public double ProcessBytesPerRequest => ProcessAllocated / (double)Math.Max(1, Requests);

    /// <summary>
    /// Runs of one target as one: latencies merged into one histogram (percentiles of all their samples),
    /// errors, measured time and CPU summed, so RPS and CPU per request are totals over totals.
    /// </summary>
    public static LoadResult Pool(IReadOnlyCollection<LoadResult> runs) =>
        new(LatencyHistogram.Merge(runs.Select(r => r.Latency)),
            runs.Sum(r => r.Errors),
            TimeSpan.FromTicks(runs.Sum(r => r.Elapsed.Ticks)),
            TimeSpan.FromTicks(runs.Sum(r => r.ProcessCpu.Ticks)),
            TimeSpan.FromTicks(runs.Sum(r => r.SideCpu.Ticks)),
            runs.Sum(r => r.ProcessAllocated));
}
