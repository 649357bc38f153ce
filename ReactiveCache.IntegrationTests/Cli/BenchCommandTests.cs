using ReactiveCache.Cli.Commands.Bench;
using ReactiveCache.IntegrationTests.Infrastructure;
using ReactiveCache.IntegrationTests.Lambda;

namespace ReactiveCache.IntegrationTests.Cli;

/// <summary>
/// The benches run end to end, briefly, with the function as deployed (the Native AOT binary the fixture
/// publishes): every path they measure answers, without errors. Their figures are not asserted (these
/// machines are noisy); <c>reactive-cache bench …</c> prints them.
/// </summary>
[Collection(NativeAotCollection.Name)]
public sealed class BenchCommandTests(NativeAotPublishFixture publish)
{
    [Fact]
    public async Task Bench_gateway_measures_every_path_through_one_gateway_the_published_function_and_nginx()
    {
        Assert.True(publish.ExitCode == 0, publish.Log);
        var (exit, output) = await RunCliAsync("bench", "gateway", "--duration", "1", "--warmup", "0", "--rounds", "1",
            "--function", publish.Binary, "--repo", RepoPaths.Root);

        Assert.True(exit == 0, output);
        Assert.Contains("Native AOT", output, StringComparison.Ordinal);
        foreach (var key in new[] { "1KB.txt", "1MB.txt" })
        {
            foreach (var target in GatewayTarget.All)
            {
                var row = Row(output, key, target.Label);
                Assert.True(row is not null, $"no row {key} / {target.Label}:\n{output}");
                Assert.True(long.Parse(row[2], System.Globalization.NumberStyles.AllowThousands) > 0, $"no request measured: {string.Join('|', row)}");
                Assert.True(row[3] == "0", $"errors: {string.Join('|', row)}\n{output}");
                // p50, p90, p99, p99.9, max of one histogram: never decreasing.
                var latencies = row[5..10].Select(cell => double.Parse(cell, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                Assert.True(latencies.Zip(latencies.Skip(1)).All(pair => pair.First <= pair.Second), $"percentiles out of order: {string.Join('|', row)}");
            }

            // The Lambda row's last column is the function process's CPU per request: it did the serving.
            var lambda = Row(output, key, "gateway, lambda (tunnel)")!;
            Assert.True(double.Parse(lambda[^1], System.Globalization.CultureInfo.InvariantCulture) > 0, $"no function CPU: {string.Join('|', lambda)}");

            // P1–P3 and the references, each with a finite value (a ratio “0.84×” or a difference “+9.8 µs”).
            foreach (var rule in GatewayVerdicts.Rules.Where(r => r.Object is null || r.Object == key))
            {
                var verdict = Rows(output, key, rule.Name).FirstOrDefault(cells => cells[2] == (rule.Goal ?? "-"));
                Assert.True(verdict is not null, $"no verdict {key} / {rule.Name}:\n{output}");
                var value = verdict[3].TrimEnd('×').Replace(" µs", "", StringComparison.Ordinal);
                Assert.True(double.IsFinite(double.Parse(value, System.Globalization.CultureInfo.InvariantCulture)), $"no value: {string.Join('|', verdict)}");
            }
        }
    }

    [Fact]
    public async Task Bench_startup_activates_the_aot_and_the_jit_function_cold_and_warm()
    {
        Assert.True(publish.ExitCode == 0, publish.Log);
        var (exit, output) = await RunCliAsync("bench", "startup", "--runs", "1", "--aot", publish.Binary,
            "--jit", BuiltApps.FunctionJit, "--repo", RepoPaths.Root);

        Assert.True(exit == 0, output);
        foreach (var sample in new[] { "AOT cold", "AOT warm", "JIT cold", "JIT warm" })
        {
            Assert.Contains(sample, output, StringComparison.Ordinal);
        }

        Assert.Contains("AOT cold / JIT cold (median)", output, StringComparison.Ordinal);
    }

    /// <summary>The cells of the table row for <paramref name="key"/> and <paramref name="target"/>, trimmed.</summary>
    internal static string[]? Row(string output, string key, string target) => Rows(output, key, target).FirstOrDefault();

    private static IEnumerable<string[]> Rows(string output, string key, string target) =>
        output.Split('\n')
            .Select(line => line.Split('│').Select(cell => cell.Trim()).Where(cell => cell.Length > 0).ToArray())
            .Where(cells => cells.Length >= 4 && cells[0] == key && cells[1] == target);

    internal static Task<(int ExitCode, string Output)> RunCliAsync(params string[] args) =>
        DotnetCommand.RunAsync([BuiltApps.Dll("ReactiveCache.Cli", "reactive-cache"), .. args], TimeSpan.FromMinutes(4));
}
