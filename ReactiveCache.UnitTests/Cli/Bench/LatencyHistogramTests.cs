using ReactiveCache.Cli.Commands.Bench;

namespace ReactiveCache.UnitTests.Cli.Bench;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Merged_rounds_give_the_percentiles_of_their_pooled_samples()
    {
        var random = new Random(42);
        // Two rounds unlike each other: a fast one, and a slower one with a long tail.
        var fast = Enumerable.Range(0, 10_000).Select(_ => 0.5 + random.NextDouble()).ToArray();
        var slow = Enumerable.Range(0, 10_000).Select(_ => 2 + 3 * random.NextDouble() + (random.NextDouble() < 0.02 ? 40 * random.NextDouble() : 0)).ToArray();

        var merged = LatencyHistogram.Merge([Histogram(fast), Histogram(slow)]);

        var pooled = fast.Concat(slow).Order().ToArray();
        Assert.Equal(pooled.Length, merged.Count);
        foreach (var percentile in new[] { 50, 90, 99, 99.9, 100 })
        {
            var expected = NearestRank(pooled, percentile);
            // Three significant digits: within 0.1 % (plus the 100 ns a sample is truncated to).
            Assert.InRange(merged.PercentileMs(percentile), expected - 0.0001, expected * 1.001 + 0.0001);
        }

        Assert.InRange(merged.MaxMs, pooled[^1] - 0.0001, pooled[^1] * 1.001);
        Assert.Equal(merged.PercentileMs(100), merged.MaxMs);
        Assert.InRange(merged.MinMs, pooled[0] - 0.0001, pooled[0] * 1.001);
        Assert.InRange(merged.MeanMs, pooled.Average() * 0.999, pooled.Average() * 1.001);
    }

    [Fact]
    public void The_pooled_p99_is_not_the_mean_of_the_rounds_p99s()
    {
        // Round A: 1,000 answers of 1 ms. Round B: 985 of 1 ms and 15 of 100 ms (1.5 %: its p99 is 100 ms).
        var a = Histogram(Enumerable.Repeat(1.0, 1000));
        var b = Histogram(Enumerable.Repeat(1.0, 985).Concat(Enumerable.Repeat(100.0, 15)));
        Assert.InRange(a.P99Ms, 1, 1.001);
        Assert.InRange(b.P99Ms, 100, 100.1);

        var merged = LatencyHistogram.Merge([a, b]);

        // Pooled, the 15 slow answers are 0.75 % of 2,000: the p99 is 1 ms, where averaging gave 50.5 ms.
        Assert.InRange(merged.P99Ms, 1, 1.001);
        Assert.NotInRange((a.P99Ms + b.P99Ms) / 2, 0, 2);
        Assert.InRange(merged.P999Ms, 100, 100.1);
        Assert.InRange(merged.MaxMs, 100, 100.1);
    }

    [Fact]
    public void Without_samples_every_figure_is_NaN_and_merging_an_empty_round_changes_nothing()
    {
        var empty = new LatencyHistogram();
        Assert.Equal(0, empty.Count);
        Assert.True(double.IsNaN(empty.P50Ms));
        Assert.True(double.IsNaN(empty.P99Ms));
        Assert.True(double.IsNaN(empty.MaxMs));
        Assert.True(double.IsNaN(empty.MeanMs));

        var answered = Histogram([1, 2, 3, 4]);
        var merged = LatencyHistogram.Merge([empty, answered]);
        Assert.Equal(4, merged.Count);
        Assert.Equal(answered.P50Ms, merged.P50Ms);
        Assert.Equal(answered.MaxMs, merged.MaxMs);
    }

    [Fact]
    public void A_latency_beyond_the_highest_trackable_counts_as_the_highest()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(LatencyHistogram.HighestTrackable * 3);
        Assert.Equal(1, histogram.Count);
        Assert.InRange(histogram.MaxMs, LatencyHistogram.HighestTrackable.TotalMilliseconds, LatencyHistogram.HighestTrackable.TotalMilliseconds * 1.001);
    }

    [Fact]
    public void Pooled_runs_sum_requests_errors_time_and_CPU()
    {
        var first = new LoadResult(Histogram(Enumerable.Repeat(1.0, 1000)), Errors: 2, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(10));
        var second = new LoadResult(Histogram(Enumerable.Repeat(2.0, 3000)), Errors: 5, TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(30));

        var pooled = LoadResult.Pool([first, second]);

        Assert.Equal(4000, pooled.Requests);
        Assert.Equal(7, pooled.Errors);
        Assert.Equal(TimeSpan.FromSeconds(3), pooled.Elapsed);
        // Summed requests over summed time (4000 / 3 s), not the mean of 1000 and 1500 RPS.
        Assert.Equal(4000 / 3.0, pooled.RequestsPerSecond, 6);
        Assert.Equal(150, pooled.ProcessCpuUsPerRequest, 6);
        Assert.Equal(10, pooled.SideCpuUsPerRequest, 6);
        Assert.InRange(pooled.Latency.P50Ms, 2, 2.002);
    }

    /// <summary>A histogram of these samples (ms).</summary>
    internal static LatencyHistogram Histogram(IEnumerable<double> samplesMs)
    {
        var histogram = new LatencyHistogram();
        foreach (var ms in samplesMs)
        {
            histogram.Record(TimeSpan.FromMilliseconds(ms));
        }

        return histogram;
    }

    /// <summary>The smallest sample that at least <paramref name="percentile"/> % of <paramref name="sorted"/> do not exceed.</summary>
    private static double NearestRank(double[] sorted, double percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length - 1e-9) - 1, 0, sorted.Length - 1)];
}
