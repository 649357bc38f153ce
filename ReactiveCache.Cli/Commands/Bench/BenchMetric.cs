namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>A figure of a <see cref="LoadResult"/> that a <see cref="VerdictRule"/> compares between two rows.</summary>
/// <param name="HigherIsBetter">True: a ratio meets its threshold from above (≥); false: from below (≤).</param>
/// <param name="Format">How the figure itself is printed (a .NET numeric format).</param>
public sealed record BenchMetric(string Name, string Unit, Func<LoadResult, double> Of, bool HigherIsBetter, string Format)
{
    public static readonly BenchMetric Rps = new("RPS", "RPS", r => r.RequestsPerSecond, HigherIsBetter: true, "N0");

    public static readonly BenchMetric P99 = new("p99", "ms", r => r.Latency.P99Ms, HigherIsBetter: false, "F3");

    /// <summary>CPU per answered request of every process the row measures: this one (load generator and server) and its side process.</summary>
    public static readonly BenchMetric Cpu = new("CPU/req", "µs", r => r.ProcessCpuUsPerRequest + r.SideCpuUsPerRequest, HigherIsBetter: false, "F1");
}
