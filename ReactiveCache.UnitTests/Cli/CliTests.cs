using System.Globalization;
using System.Text.Json;
using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Simulation.Evaluation;
using ReactiveCache.Domain.Traces.Generators;

namespace ReactiveCache.UnitTests.Cli;

public sealed class CliTests
{
    [Fact]
    public async Task Configure_prints_the_derived_parameters_and_writes_the_policy_section()
    {
        string file = Path.Combine(Path.GetTempPath(), $"policy-{Guid.NewGuid():N}.json");
        try
        {
            var (exit, output, _) = await CliRun.Run("configure", "--rate", "3", "--sensitivity", "4", "--output", file);
            Assert.Equal(0, exit);
            Assert.Contains("TICK              16 s", output, StringComparison.Ordinal);
            Assert.Contains("redisUtilization  180 s (3m00s)", output, StringComparison.Ordinal);
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var policy = doc.RootElement.GetProperty("Policy");
            Assert.Equal(16, policy.GetProperty("TickSeconds").GetInt32());
            Assert.Equal(32, policy.GetProperty("LambdaThresholdSeconds").GetInt32());
            Assert.Equal(180, policy.GetProperty("RedisUtilizationSeconds").GetInt32());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("12", "4", "rate must be greater than 0 and less than 10")]
    [InlineData("3", "9", "sensitivity must be an integer from 1 to 5")]
    public async Task Configure_refuses_out_of_range_input_clearly(string rate, string sensitivity, string message)
    {
        var (exit, _, error) = await CliRun.Run("configure", "--rate", rate, "--sensitivity", sensitivity);
        Assert.NotEqual(0, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_policies_runs_the_development_seeds_it_is_given_and_prints_the_figures_a_change_is_judged_by()
    {
        string dir = Directory.CreateTempSubdirectory("policies").FullName;
        try
        {
            var (exit, output, error) = await CliRun.Run(
                "report", "--policies", "--traces", ThesisTraces.Directory, "--seeds", "1", "--first-seed", "101", "--output", dir);
            Assert.True(exit == 0, error);
            string table = File.ReadAllText(Path.Combine(dir, "policies.md"));
            Assert.Contains("--seeds 1 --first-seed 101`", table, StringComparison.Ordinal);
            // the plots name the seed they show, as the thesis report does
            Assert.Contains("(mean of 1 seed (101))", File.ReadAllText(Path.Combine(dir, "policies-s1.svg")), StringComparison.Ordinal);

            // the spike-20 row at s = 1 is seed 101's, not seed 1's (the two differ)
            var row = EvaluationRow.Family(TraceFamilies.Find("spike-20")!);
            double at101 = Math.Round(PolicyEvaluation.Run(row, 1, [101]).Of(PolicyKind.Default).Ratio, 2);
            double at1 = Math.Round(PolicyEvaluation.Run(row, 1, [1]).Of(PolicyKind.Default).Ratio, 2);
            Assert.NotEqual(at1, at101);
            string cell = table.Split('\n').Single(l => l.StartsWith("| spike-20 (rate ", StringComparison.Ordinal) && l.Split('|')[2].Trim() == "1")
                .Split('|')[5].Trim().Trim('*');
            Assert.Equal(at101, double.Parse(cell, CultureInfo.InvariantCulture));
            Assert.Matches(@"default within 1\.25x OPT on \d+ of 100 rows, mean of the table's cells \d\.\d{4}, thesis configurations won \d of 7", output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("0", "--first-seed must be between 1 and")]
    [InlineData("2147483647", "--first-seed must be between 1 and")]
    public async Task Report_refuses_a_first_seed_out_of_range_clearly(string first, string message)
    {
        var (exit, _, error) = await CliRun.Run("report", "--policies", "--traces", ThesisTraces.Directory, "--seeds", "2", "--first-seed", first);
        Assert.NotEqual(0, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_json_summary_has_the_fields_scripts_read()
    {
        var (exit, output, _) = await CliRun.Run("simulate", "--trace", ThesisTraces.Path("60-1-ec2log.txt"), "--system", "reactive", "--rate", "3", "--sensitivity", "4", "--format", "json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("60-1-ec2log", root.GetProperty("trace").GetString());
        Assert.Equal("reactive", root.GetProperty("system").GetString());
        Assert.Equal("thesis", root.GetProperty("policy").GetString());
        Assert.InRange(root.GetProperty("hitPercent").GetDouble(), 88, 99);
        Assert.True(root.GetProperty("meanLatencyMs").GetDouble() > 0);
        Assert.True(root.GetProperty("totalCostUsd").GetDecimal() > 0);
        Assert.True(root.GetProperty("costByLayerUsd").TryGetProperty("lambda", out _));

        // the objective and the yardstick: J = $ + v × S3 GETs, and J of the offline optimum on the same trace and seed
        decimal objective = root.GetProperty("objectiveUsd").GetDecimal();
        Assert.True(objective > root.GetProperty("totalCostUsd").GetDecimal());
        decimal optimum = root.GetProperty("optimumObjectiveUsd").GetDecimal();
        Assert.InRange(optimum, 0.000001m, objective);
        Assert.Equal((double)(objective / optimum), root.GetProperty("optimumRatio").GetDouble(), 6);
        Assert.True(root.GetProperty("optimumExact").GetBoolean());
    }

    [Fact]
    public async Task Trace_generate_family_is_reproducible_per_seed()
    {
        var a = await CliRun.Run("trace", "generate", "family", "on-off", "--seed", "3");
        var b = await CliRun.Run("trace", "generate", "family", "on-off", "--seed", "3");
        var c = await CliRun.Run("trace", "generate", "family", "on-off", "--seed", "4");
        Assert.Equal(0, a.Exit);
        Assert.Equal(a.Out, b.Out);
        Assert.NotEqual(a.Out, c.Out);
        var bad = await CliRun.Run("trace", "generate", "family", "no-such-family");
        Assert.NotEqual(0, bad.Exit);
    }

    [Fact]
    public async Task Simulate_writes_request_rows_as_csv()
    {
        string csv = Path.Combine(Path.GetTempPath(), $"rows-{Guid.NewGuid():N}.csv");
        try
        {
            var (exit, _, _) = await CliRun.Run("simulate", "--trace", ThesisTraces.Path("30-poisson-3.txt"), "--system", "s3-only", "--requests", csv);
            Assert.Equal(0, exit);
            var lines = File.ReadAllLines(csv);
            Assert.Equal("time_s,key,layer,latency_ms", lines[0]);
            Assert.Equal(83, lines.Length);
            Assert.Equal("22,index.html,s3,89.2", lines[1]);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Fact]
    public async Task Missing_trace_and_bad_trace_are_clear_errors()
    {
        var (exit, _, error) = await CliRun.Run("simulate", "--trace", "/nonexistent/trace.txt");
        Assert.Equal(1, exit);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);

        string bad = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.txt");
        File.WriteAllText(bad, "0\t1.0\tGET\tk\n1\tnope\tGET\tk\n");
        try
        {
            (exit, _, error) = await CliRun.Run("simulate", "--trace", bad);
            Assert.Equal(1, exit);
            Assert.Contains(":2: offset 'nope'", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Fact]
    public async Task Trace_generate_is_reproducible()
    {
        var a = await CliRun.Run("trace", "generate", "poisson", "--duration", "30", "--lambda", "3", "--seed", "4");
        var b = await CliRun.Run("trace", "generate", "poisson", "--duration", "30", "--lambda", "3", "--seed", "4");
        Assert.Equal(0, a.Exit);
        Assert.Equal(a.Out, b.Out);
        Assert.StartsWith("# duration_s: 1800\n0\t", a.Out, StringComparison.Ordinal);
    }
}
