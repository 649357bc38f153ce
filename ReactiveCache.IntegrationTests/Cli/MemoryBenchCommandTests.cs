namespace ReactiveCache.IntegrationTests.Cli;

/// <summary>
/// <c>bench memory</c> runs end to end, briefly, without the Lambda layer (which the published function's tests
/// cover): every row is answered by its layer. Its RSS figures are not asserted beyond being measured (they depend on
/// when the collector runs); what the Redis layer allocates per GET is: its reads go into pooled buffers, so a GET
/// allocates far less than the body it sends (reading each chunk into a new array allocated the whole body again).
/// </summary>
public sealed class MemoryBenchCommandTests
{
    [Fact]
    public async Task Bench_memory_measures_the_gateways_rss_growth_per_layer_for_concurrent_gets_and_one_large_object()
    {
        var (exit, output) = await BenchCommandTests.RunCliAsync("bench", "memory", "--concurrency", "4", "--requests", "16", "--large-mb", "8",
            "--no-lambda", "--repo", RepoPaths.Root);

        Assert.True(exit == 0, output);
        foreach (var layer in new[] { "s3", "redis" })
        {
            foreach (var key in new[] { "1MB.txt", "8MB.bin" })
            {
                // layer │ object │ concurrent │ GETs │ other layer │ errors │ MB/s │ RSS before │ peak │ growth │ goal
                var row = BenchCommandTests.Row(output, layer, key);
                Assert.True(row is not null, $"no row {layer} / {key}:\n{output}");
                Assert.True(long.Parse(row[3], System.Globalization.NumberStyles.AllowThousands) > 0, $"no GET answered by {layer}: {string.Join('|', row)}");
                Assert.True(row[4] == "0" && row[5] == "0", $"fallbacks or errors: {string.Join('|', row)}\n{output}");
                Assert.True(double.Parse(row[8], System.Globalization.CultureInfo.InvariantCulture) > 0, $"no peak RSS: {string.Join('|', row)}");
                if (layer == "redis")
                {
                    // layer │ … │ growth │ allocated KB / GET │ goal: under a quarter of the body (1 MB: 256 KB; 8 MB: 2 MB).
                    var bodyKb = key == "1MB.txt" ? 1024 : 8 * 1024;
                    var allocatedKb = double.Parse(row[10], System.Globalization.CultureInfo.InvariantCulture);
                    Assert.True(allocatedKb < bodyKb / 4.0, $"the Redis layer allocated {allocatedKb} KB per GET of {key}: {string.Join('|', row)}");
                }
            }
        }
    }
}
