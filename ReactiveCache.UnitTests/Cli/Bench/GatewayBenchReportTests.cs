using ReactiveCache.Cli.Commands.Bench;
using Spectre.Console;

namespace ReactiveCache.UnitTests.Cli.Bench;

public sealed class GatewayBenchReportTests
{
    private static readonly string[] Objects = ["1KB.txt", "1MB.txt"];

    [Fact]
    public void The_report_prints_a_row_per_object_and_target_and_every_verdict()
    {
        var results = Results(GatewayTarget.All, (_, _) => 1.0);

        var output = Render(results);

        foreach (var @object in Objects)
        {
            foreach (var target in GatewayTarget.All)
            {
                var row = Row(output, @object, target.Label);
                Assert.True(row is not null, $"no row {@object} / {target.Label}:\n{output}");
                // requests, errors, RPS, p50, p90, p99, p99.9, max, CPU here, CPU of the side process, bytes allocated here.
                Assert.Equal(13, row.Length);
                Assert.Equal("2,000", row[2]);
                Assert.Equal("0", row[3]);
            }

            foreach (var rule in GatewayVerdicts.Rules.Where(r => r.Object is null || r.Object == @object))
            {
                var verdict = Rows(output, @object, rule.Name).FirstOrDefault(cells => cells[2] == (rule.Goal ?? "-"));
                Assert.True(verdict is not null, $"no verdict {@object} / {rule.Name}:\n{output}");
                Assert.Equal(rule.Threshold is null ? "reference" : "met", verdict[^1]);
            }
        }

        // P1–P3 are each judged at 1 KB and at 1 MB.
        foreach (var goal in new[] { "P1", "P2", "P3" })
        {
            Assert.All(Objects, o => Assert.Contains(GatewayVerdicts.Rules, r => r.Goal == goal && r.Object == o));
        }

        Assert.Contains("all targets met", output, StringComparison.Ordinal);
        Assert.Contains("lambda rows:", output, StringComparison.Ordinal);
        Assert.Contains("peer row:", output, StringComparison.Ordinal);
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
        // The gateway at half its Redis floor's RPS; nginx at four times the floor's; the Lambda path at the YARP
        // floor's RPS but with an error.
        var results = Results(GatewayTarget.All, (_, target) => target switch
        {
            _ when target == GatewayTarget.GatewayRedis => 2.0,
            _ when target == GatewayTarget.Nginx => 0.25,
            _ => 1.0,
        }, errors: target => target == GatewayTarget.GatewayLambda ? 1 : 0);

        var verdicts = GatewayVerdicts.Judge(results);

        Assert.Equal(Objects.Sum(o => GatewayVerdicts.Rules.Count(r => r.Object is null || r.Object == o)), verdicts.Count);
        var p1 = verdicts.Single(v => v.Rule.Goal == "P1" && v.Object == "1KB.txt" && v.Rule.Metric == BenchMetric.Rps);
        Assert.Equal(0.5, p1.Value, 2);
        Assert.Equal(0.95, p1.Threshold);
        Assert.False(p1.Met);
        Assert.False(p1.Blocked);
        // The floor (bare + 1 Redis read) itself reaches only 0.25 of nginx: P3 cannot be decided here.
        var p3 = verdicts.Single(v => v.Rule.Goal == "P3" && v.Object == "1KB.txt");
        Assert.Equal(0.125, p3.Value, 3);
        Assert.Equal(0.25, p3.FloorValue!.Value, 3);
        Assert.False(p3.Met);
        Assert.True(p3.Blocked);
        var p2 = verdicts.Single(v => v.Rule.Goal == "P2" && v.Object == "1KB.txt");
        Assert.Equal(1.0, p2.Value, 2);
        Assert.False(p2.Met); // 1.0 ≥ 1.0, but the row had an error.
        Assert.All(verdicts.Where(v => v.Threshold is null), v => Assert.Null(v.Met));

        var output = Render(results);
        Assert.Contains("not every target met", output, StringComparison.Ordinal);
        // One error in each of the two rounds, summed.
        Assert.Equal("not met (2 errors)", Rows(output, "1KB.txt", p2.Rule.Name).Single(cells => cells[2] == "P2")[^1]);
        Assert.Equal("blocked (floor redis floor: 0.25×)", Rows(output, "1KB.txt", p3.Rule.Name).Single(cells => cells[2] == "P3")[^1]);
    }

    [Theory]
    [InlineData(0.85, true)]   // a bare hop to another process reaches 0.85 of the in-process hop: no path through a second process can meet 1.0
    [InlineData(1.0, false)]   // it reaches the in-process hop: the tunnel's miss is its own
    public void P2_at_1_KB_is_blocked_only_when_a_bare_hop_to_another_process_misses_the_in_process_hop_too(double processHop, bool blocked)
    {
        // The Lambda path at 0.8 of the in-process YARP hop's RPS.
        var results = Results(GatewayTarget.All, (_, target) => target switch
        {
            _ when target == GatewayTarget.GatewayLambda => 1.25,
            _ when target == GatewayTarget.ProcessHopFloor => 1 / processHop,
            _ => 1.0,
        });

        var p2 = GatewayVerdicts.Judge(results).Single(v => v.Rule.Goal == "P2" && v.Object == "1KB.txt");

        Assert.Equal(0.8, p2.Value, 3);
        Assert.Equal(processHop, p2.FloorValue!.Value, 3);
        Assert.False(p2.Met);
        Assert.Equal(blocked, p2.Blocked);
        Assert.Equal(blocked ? "blocked (floor YARP floor, 2 processes: 0.85×)" : "not met",
            Rows(Render(results), "1KB.txt", p2.Rule.Name).Single(cells => cells[2] == "P2")[^1]);
    }

    [Fact]
    public void The_cpu_verdict_is_the_gateways_cpu_per_request_above_its_floors_in_microseconds()
    {
        // Per round: 1,000 answers; the floor's 50 ms + 20 ms of CPU is 70 µs a request; the gateway spends 8 µs more here.
        var results = Results(GatewayTarget.All, (_, _) => 1.0,
            processCpu: target => TimeSpan.FromMilliseconds(target == GatewayTarget.GatewayRedis ? 58 : 50));

        var cpu = GatewayVerdicts.Judge(results).Single(v => v.Rule.Goal == "P1" && v.Rule.Metric == BenchMetric.Cpu);

        Assert.Equal(78, cpu.Measured, 3);
        Assert.Equal(70, cpu.Baseline, 3);
        Assert.Equal(8, cpu.Value, 3);
        Assert.False(cpu.Met); // ≤ +5 µs
        var cells = Rows(Render(results), "1KB.txt", cpu.Rule.Name).Single(c => c[2] == "P1");
        Assert.Equal(["+8.0 µs", "78.0 vs 70.0 µs", "≤ +5.0 µs", "not met"], cells[3..]);
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
        Assert.NotEmpty(Rows(output, "1KB.txt", GatewayVerdicts.Rules[0].Name));
    }

    [Fact]
    public void Without_nginx_there_is_no_peer_row_and_no_p3_verdict()
    {
        var results = Results(GatewayTarget.All.Where(t => t.Cpu != SideProcess.Nginx).ToList(), (_, _) => 1.0);

        var verdicts = GatewayVerdicts.Judge(results);

        Assert.DoesNotContain(verdicts, v => v.Rule.Goal == "P3");
        Assert.Contains(verdicts, v => v.Rule.Goal == "P1");
        Assert.DoesNotContain("peer row:", Render(results), StringComparison.Ordinal);
    }

    /// <summary>Two rounds per object and target, each 1,000 answers in 1 s, of the latency <paramref name="slowdown"/> gives (ms; RPS is its inverse, relative).</summary>
    private static GatewayBenchResults Results(IReadOnlyList<GatewayTarget> targets, Func<string, GatewayTarget, double> slowdown, Func<GatewayTarget, long>? errors = null,
        Func<GatewayTarget, TimeSpan>? processCpu = null)
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
                        TimeSpan.FromSeconds(factor), processCpu?.Invoke(target) ?? TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(20)));
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
        console.Profile.Width = GatewayBenchReport.LogWidth; // as printed into a log: a label that wraps is not found whole
        GatewayBenchReport.Write(console, results, GatewayVerdicts.Judge(results));
        return writer.ToString();
    }

    /// <summary>The trimmed cells of the table row whose first two cells are <paramref name="first"/> and <paramref name="second"/>.</summary>
    private static string[]? Row(string output, string first, string second) => Rows(output, first, second).FirstOrDefault();

    /// <summary>Every such row (a comparison may be judged by more than one goal).</summary>
    private static IEnumerable<string[]> Rows(string output, string first, string second) =>
        output.Split('\n')
            .Select(line => line.Split('│').Select(cell => cell.Trim()).Where(cell => cell.Length > 0).ToArray())
            .Where(cells => cells.Length >= 3 && cells[0] == first && cells[1] == second);
}
