using ReactiveCache.Cli.Commands.Bench;
using Spectre.Console;

namespace ReactiveCache.UnitTests.Cli.Bench;

public sealed class GatewayBenchReportTests
{
    private static readonly string[] Objects = ["1KB.txt", "1MB.txt"];

    [Fact]
    public void The_report_prints_a_row_per_object_and_target_and_every_verdict()
    {
        var results = Results(GatewayTarget.All, (_, target) => target == GatewayTarget.GatewayLambda ? 1.2 : 1.0);

        var output = Render(results);

        foreach (var @object in Objects)
        {
            foreach (var target in GatewayTarget.All)
            {
                var row = Row(output, @object, target.Label);
                Assert.True(row is not null, $"no row {@object} / {target.Label}:\n{output}");
                // requests, errors, RPS, p50, p90, p99, p99.9, max, CPU here, CPU of the side process.
                Assert.Equal(12, row.Length);
                Assert.Equal("2,000", row[2]);
                Assert.Equal("0", row[3]);
            }

            foreach (var rule in GatewayVerdicts.Rules)
            {
                var verdict = Row(output, @object, rule.Name);
                Assert.True(verdict is not null, $"no verdict {@object} / {rule.Name}:\n{output}");
                Assert.Equal(rule.Threshold is null ? "reference" : "met", verdict[^1]);
            }
        }

        Assert.Contains("all targets met", output, StringComparison.Ordinal);
        Assert.Contains("lambda rows:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rows_show_the_pooled_percentiles_of_both_rounds()
    {
        // One round fast, one with 15 slow answers in 1,000: pooled, the p99 stays fast; the p99.9 and max do not.
        var results = new GatewayBenchResults(["1KB.txt"], [GatewayTarget.Bare]);
        results.Add("1KB.txt", GatewayTarget.Bare, Run(Enumerable.Repeat(1.0, 1000), errors: 0));
        results.Add("1KB.txt", GatewayTarget.Bare, Run(Enumerable.Repeat(1.0, 985).Concat(Enumerable.Repeat(100.0, 15)), errors: 3));

        var row = Row(Render(results), "1KB.txt", GatewayTarget.Bare.Label)!;

        Assert.Equal(["2,000", "3", "2,000"], row[2..5]);
        // p50, p99 (to the histogram's 3 significant digits), then p99.9 and max.
        Assert.InRange(Ms(row[5]), 1, 1.001);
        Assert.InRange(Ms(row[7]), 1, 1.001);
        Assert.InRange(Ms(row[8]), 100, 100.1);
        Assert.InRange(Ms(row[9]), 100, 100.1);
    }

    [Fact]
    public void Verdicts_judge_ratios_against_their_thresholds_and_need_a_row_without_errors()
    {
        // The gateway at 0.5 of bare's RPS and twice its p99; the Lambda path at 0.7 of the gateway's RPS, with an error.
        var results = Results(GatewayTarget.All, (_, target) => target switch
        {
            _ when target == GatewayTarget.GatewayRedis => 2.0,
            _ when target == GatewayTarget.GatewayLambda => 2.0 / 0.7,
            _ => 1.0,
        }, errors: target => target == GatewayTarget.GatewayLambda ? 1 : 0);

        var verdicts = GatewayVerdicts.Judge(results);

        Assert.Equal(Objects.Length * GatewayVerdicts.Rules.Count, verdicts.Count);
        var gatewayRps = verdicts.First(v => v.Rule == GatewayVerdicts.Rules[0]);
        Assert.Equal(0.5, gatewayRps.Ratio, 2);
        Assert.Equal(0.8, gatewayRps.Threshold);
        Assert.False(gatewayRps.Met);
        var gatewayP99 = verdicts.First(v => v.Rule == GatewayVerdicts.Rules[1]);
        Assert.Equal(2.0, gatewayP99.Ratio, 2);
        Assert.False(gatewayP99.Met);
        var lambdaRps = verdicts.First(v => v.Rule.Target == GatewayTarget.GatewayLambda && v.Rule.Threshold is not null);
        Assert.Equal(0.7, lambdaRps.Ratio, 2);
        Assert.False(lambdaRps.Met); // 0.7 ≥ 0.6, but the row had an error.
        Assert.All(verdicts.Where(v => v.Threshold is null), v => Assert.Null(v.Met));

        var output = Render(results);
        Assert.Contains("not every target met", output, StringComparison.Ordinal);
        // One error in each of the two rounds, summed.
        Assert.Equal("not met (2 errors)", Row(output, "1KB.txt", lambdaRps.Rule.Name)![^1]);
    }

    [Fact]
    public void Without_the_function_there_is_no_lambda_row_and_no_lambda_verdict()
    {
        var targets = GatewayTarget.All.Where(t => t.Cpu != SideProcess.Function).ToList();
        var results = Results(targets, (_, _) => 1.0);

        var verdicts = GatewayVerdicts.Judge(results);
        var output = Render(results);

        Assert.DoesNotContain(verdicts, v => v.Rule.Target == GatewayTarget.GatewayLambda);
        Assert.Null(Row(output, "1KB.txt", GatewayTarget.GatewayLambda.Label));
        Assert.DoesNotContain("lambda rows:", output, StringComparison.Ordinal);
        Assert.NotNull(Row(output, "1KB.txt", GatewayVerdicts.Rules[0].Name));
    }

    /// <summary>Two rounds per object and target, each 1,000 answers in 1 s, of the latency <paramref name="slowdown"/> gives (ms; RPS is its inverse, relative).</summary>
    private static GatewayBenchResults Results(IReadOnlyList<GatewayTarget> targets, Func<string, GatewayTarget, double> slowdown, Func<GatewayTarget, long>? errors = null)
    {
        var results = new GatewayBenchResults(Objects, targets);
        foreach (var @object in Objects)
        {
            foreach (var target in targets)
            {
                for (var round = 0; round < 2; round++)
                {
                    var factor = slowdown(@object, target);
                    results.Add(@object, target, new LoadResult(LatencyHistogramTests.Histogram(Enumerable.Repeat(factor, 1000)), errors?.Invoke(target) ?? 0,
                        TimeSpan.FromSeconds(factor), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(20)));
                }
            }
        }

        return results;
    }

    private static double Ms(string cell) => double.Parse(cell, System.Globalization.CultureInfo.InvariantCulture);

    private static LoadResult Run(IEnumerable<double> samplesMs, long errors) =>
        new(LatencyHistogramTests.Histogram(samplesMs), errors, TimeSpan.FromSeconds(0.5), TimeSpan.Zero, TimeSpan.Zero);

    private static string Render(GatewayBenchResults results)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 250;
        GatewayBenchReport.Write(console, results, GatewayVerdicts.Judge(results));
        return writer.ToString();
    }

    /// <summary>The trimmed cells of the table row whose first two cells are <paramref name="first"/> and <paramref name="second"/>.</summary>
    private static string[]? Row(string output, string first, string second) =>
        output.Split('\n')
            .Select(line => line.Split('│').Select(cell => cell.Trim()).Where(cell => cell.Length > 0).ToArray())
            .FirstOrDefault(cells => cells.Length >= 3 && cells[0] == first && cells[1] == second);
}
