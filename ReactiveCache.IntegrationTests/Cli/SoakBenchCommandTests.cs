using System.Globalization;

namespace ReactiveCache.IntegrationTests.Cli;

/// <summary>
/// <c>bench soak</c> runs end to end, briefly and with few connections (the full soak, 1000 connections for 60 s, is
/// run by hand: figures in docs/faults.md): every answer comes from its layer, none fails, the RSS is measured.
/// </summary>
public sealed class SoakBenchCommandTests
{
    [Fact]
    public async Task Bench_soak_answers_every_get_from_its_layer_and_reports_latency_and_rss()
    {
        var (exit, output) = await BenchCommandTests.RunCliAsync("bench", "soak", "--connections", "40", "--duration", "3s", "--warmup", "1s");

        Assert.True(exit == 0, output);
        // connections │ seconds │ answers │ req/s │ fallbacks │ errors │ p50 │ p90 │ p99 │ p99.9 │ max │ RSS start │ peak │ end │ errors = 0
        var row = output.Split('\n')
            .Select(line => line.Split('│').Select(cell => cell.Trim()).Where(cell => cell.Length > 0).ToArray())
            .FirstOrDefault(cells => cells.Length >= 15 && cells[0] == "40");
        Assert.True(row is not null, $"no row:\n{output}");
        Assert.True(long.Parse(row[2], NumberStyles.AllowThousands, CultureInfo.InvariantCulture) > 0, $"no answer: {string.Join('|', row)}");
        Assert.True(row[4] == "0" && row[5] == "0", $"fallbacks or errors: {string.Join('|', row)}\n{output}");
        Assert.True(double.Parse(row[6], CultureInfo.InvariantCulture) > 0 && double.Parse(row[8], CultureInfo.InvariantCulture) >= double.Parse(row[6], CultureInfo.InvariantCulture));
        Assert.True(double.Parse(row[11], CultureInfo.InvariantCulture) > 0 && double.Parse(row[13], CultureInfo.InvariantCulture) > 0, $"no RSS: {string.Join('|', row)}");
    }
}
