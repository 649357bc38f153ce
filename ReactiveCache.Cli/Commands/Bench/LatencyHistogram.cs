using HdrHistogram;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// The latencies of a bench, as an HDR histogram (HdrHistogram's <see cref="LongHistogram"/>): values in
/// <see cref="TimeSpan"/> ticks (100 ns) up to <see cref="HighestTrackable"/>, to 3 significant digits. Merging
/// histograms (<see cref="Add"/>, <see cref="Merge"/>) pools their samples, so the percentiles of several
/// workers or rounds are the percentiles of all their samples together, never an average of percentiles.
/// Not thread-safe: one per worker, merged once the workers are done.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>The longest latency told apart from others; longer ones count as this (every bench's wait ends sooner).</summary>
    public static readonly TimeSpan HighestTrackable = TimeSpan.FromMinutes(10);

    private const int SignificantDigits = 3;

    private readonly LongHistogram _histogram = new(1, HighestTrackable.Ticks, SignificantDigits);

    /// <summary>Samples recorded.</summary>
    public long Count => _histogram.TotalCount;

    public void Record(TimeSpan latency) =>
        _histogram.RecordValue(Math.Clamp(latency.Ticks, 0, HighestTrackable.Ticks));

    /// <summary>Adds <paramref name="other"/>'s samples to this one's.</summary>
    public void Add(LatencyHistogram other) => _histogram.Add(other._histogram);

    /// <summary>One histogram holding the samples of all of <paramref name="histograms"/>.</summary>
    public static LatencyHistogram Merge(IEnumerable<LatencyHistogram> histograms)
    {
        var merged = new LatencyHistogram();
        foreach (var histogram in histograms)
        {
            merged.Add(histogram);
        }

        return merged;
    }

    /// <summary>The latency (ms) that <paramref name="percentile"/> % of the samples do not exceed; NaN without samples.</summary>
    public double PercentileMs(double percentile) => Ms(() => _histogram.GetValueAtPercentile(percentile));

    public double P50Ms => PercentileMs(50);

    public double P90Ms => PercentileMs(90);

    public double P99Ms => PercentileMs(99);

    public double P999Ms => PercentileMs(99.9);

    public double MinMs => PercentileMs(0);

    public double MaxMs => Ms(_histogram.GetMaxValue);

    public double MeanMs => Ms(() => (long)Math.Round(_histogram.GetMean()));

    private double Ms(Func<long> ticks) => Count == 0 ? double.NaN : TimeSpan.FromTicks(ticks()).TotalMilliseconds;
}
