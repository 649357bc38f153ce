using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReactiveCache.Core.Functions;
using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Tunnel;
using Spectre.Console;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// Starts the gateway and the Lambda emulator (real processes, the built programs), then, for each run,
/// activates a fresh function (cold: a new process) and the same one again (warm), for the Native AOT
/// and the JIT builds alternately. Activation = invoke → first GET through the gateway answered by the
/// function (<c>Content-Origin: lambda</c>).
/// </summary>
public sealed class StartupBench(RepoLayout layout, string key, int runs)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    public async Task<int> RunAsync(string? aotPath, string? jitPath, CancellationToken cancellationToken)
    {
        var jit = jitPath ?? layout.Dll("ReactiveCache.Lambda", "bootstrap");
        var aot = aotPath ?? Path.Combine(layout.AotOutput, "bootstrap");
        if (!File.Exists(aot))
        {
            if (aotPath is not null || !await PublishAotAsync(cancellationToken))
            {
                await Console.Error.WriteLineAsync($"No Native AOT bootstrap at {aot}.");
                return 1;
            }
        }

        var objects = Directory.CreateTempSubdirectory("bench-startup-objects-");
        SampleObjects.SeedFolder(objects.FullName);
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var common = new Dictionary<string, string>
        {
            ["ObjectStore__Kind"] = "Folder",
            ["ObjectStore__Root"] = objects.FullName,
            ["OTEL_SDK_DISABLED"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
        };

        var gatewayPort = LocalProcess.FreePort();
        var emulatorPort = LocalProcess.FreePort();
        var emulatorEnvironment = new Dictionary<string, string>(common)
        {
            ["Emulator__IdleTimeout"] = "00:10:00",
            ["Emulator__MaxConcurrency"] = (2 * runs + 2).ToString(),
            // The environments' lines (the function's own output) are what explains a failed run.
            ["Logging__LogLevel__ReactiveCache.LambdaEmulator"] = "Information",
            ["Logging__LogLevel__ReactiveCache.Lambda"] = "Information",
        };
        for (var run = 1; run <= runs; run++)
        {
            emulatorEnvironment[$"Emulator__Functions__aot-{run}__Command"] = aot;
            emulatorEnvironment[$"Emulator__Functions__jit-{run}__Command"] = "dotnet";
            emulatorEnvironment[$"Emulator__Functions__jit-{run}__Args__0"] = jit;
        }

        AnsiConsole.MarkupLine($"[grey]AOT:[/] {Markup.Escape(aot)}\n[grey]JIT:[/] dotnet {Markup.Escape(jit)}\n[grey]key:[/] {Markup.Escape(key)}, {runs} runs, TICK {Tick.TotalMilliseconds} ms");
        await using var gateway = await LocalProcess.StartDotnetAsync(layout.Dll("ReactiveCache.Gateway"), gatewayPort,
            new Dictionary<string, string>(common) { ["Tunnel__Secret"] = secret, ["Tunnel__ServeObjectsThroughLambda"] = "true" }, cancellationToken);
        await using var emulator = await LocalProcess.StartDotnetAsync(layout.Dll("ReactiveCache.LambdaEmulator"), emulatorPort, emulatorEnvironment, cancellationToken);
        using var gatewayClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gatewayPort}"), Timeout = TimeSpan.FromSeconds(10) };
        using var emulatorClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{emulatorPort}"), Timeout = TimeSpan.FromSeconds(30) };
        var payload = new FunctionPayload([key], Tick.TotalSeconds, $"http://127.0.0.1:{gatewayPort}{TunnelProtocol.ConnectPath}", null,
            TunnelToken.Mint(Encoding.UTF8.GetBytes(secret), [key], DateTimeOffset.UtcNow.AddHours(1)));

        // Warm the gateway's own path (JIT of its S3 route) so that it does not count against the first run.
        for (var i = 0; i < 20; i++)
        {
            using var _ = await gatewayClient.GetAsync($"/objects/{key}", cancellationToken);
        }

        var samples = new Dictionary<string, List<double>>
        {
            ["AOT cold"] = [], ["AOT warm"] = [], ["JIT cold"] = [], ["JIT warm"] = [],
            ["AOT init"] = [], ["JIT init"] = [],
        };
        try
        {
            for (var run = 1; run <= runs; run++)
            {
                // Alternate which build goes first, so neither always meets a busier machine.
                foreach (var build in run % 2 == 1 ? new[] { "aot", "jit" } : ["jit", "aot"])
                {
                    var function = $"{build}-{run}";
                    var label = build.ToUpperInvariant();
                    samples[$"{label} cold"].Add(await ActivateAsync(emulatorClient, gatewayClient, function, payload, expectCold: true, cancellationToken));
                    samples[$"{label} init"].Add(await WaitForIdleAsync(emulatorClient, function, cancellationToken));
                    samples[$"{label} warm"].Add(await ActivateAsync(emulatorClient, gatewayClient, function, payload, expectCold: false, cancellationToken));
                    await WaitForIdleAsync(emulatorClient, function, cancellationToken);
                    AnsiConsole.MarkupLine($"[grey]run {run} {label}: cold {samples[$"{label} cold"][^1]:F1} ms, warm {samples[$"{label} warm"][^1]:F1} ms[/]");
                }
            }
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or HttpRequestException)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\n--- emulator ---\n{emulator.Output}\n--- gateway ---\n{gateway.Output}");
            return 1;
        }
        finally
        {
            objects.Delete(recursive: true);
        }

        Report(samples);
        return 0;
    }

    private static async Task<double> ActivateAsync(HttpClient emulator, HttpClient gateway, string function, FunctionPayload payload, bool expectCold, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/2015-03-31/functions/{function}/invocations")
        {
            Content = JsonContent.Create(payload, FunctionJsonContext.Default.FunctionPayload),
        };
        request.Headers.Add("X-Amz-Invocation-Type", "Event");
        using (var invoke = await emulator.SendAsync(request, cancellationToken))
        {
            invoke.EnsureSuccessStatusCode();
            var cold = invoke.Headers.TryGetValues("X-Emulator-Cold-Start", out var values) && values.First() == "true";
            if (cold != expectCold)
            {
                throw new InvalidOperationException($"{function}: expected a {(expectCold ? "cold" : "warm")} start, the emulator made a {(cold ? "cold" : "warm")} one.");
            }
        }

        var key = payload.Keys[0];
        while (watch.Elapsed < Wait)
        {
            using var response = await gateway.GetAsync($"/objects/{key}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.Headers.TryGetValues("Content-Origin", out var origin) && origin.First() == "lambda")
            {
                return watch.Elapsed.TotalMilliseconds;
            }
        }

        throw new TimeoutException($"{function} served no GET within {Wait}.");
    }

    /// <summary>Waits until the function's environment is idle; its cold start (process start → first next) in ms.</summary>
    private static async Task<double> WaitForIdleAsync(HttpClient emulator, string function, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < Wait)
        {
            using var document = JsonDocument.Parse(await emulator.GetStringAsync("/emulator/environments", cancellationToken));
            var idle = document.RootElement.EnumerateArray().FirstOrDefault(e =>
                e.GetProperty("function").GetString() == function && e.GetProperty("state").GetString() == "Idle");
            if (idle.ValueKind == JsonValueKind.Object)
            {
                return idle.GetProperty("coldStartMs").GetDouble();
            }

            await Task.Delay(20, cancellationToken);
        }

        throw new TimeoutException($"{function} did not return within {Wait}.");
    }

    private void Report(Dictionary<string, List<double>> samples)
    {
        var table = new Table().Title("function activation: invoke → first tunnelled hit (ms)")
            .AddColumns("", "median", "mean", "min", "max", "n");
        foreach (var (name, values) in samples)
        {
            table.AddRow(name, $"{Median(values):F1}", $"{values.Average():F1}", $"{values.Min():F1}", $"{values.Max():F1}", values.Count.ToString());
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]cold/warm: invoke → first GET answered through the tunnel; init: process start → first Runtime API next.[/]");
        var coldRatio = Median(samples["AOT cold"]) / Median(samples["JIT cold"]);
        var warmRatio = Median(samples["AOT warm"]) / Median(samples["JIT warm"]);
        var aotWarm = Median(samples["AOT warm"]);
        AnsiConsole.MarkupLine($"AOT cold / JIT cold (median) = [bold]{coldRatio:F3}[/]  target ≤ 0.2: {Verdict(coldRatio <= 0.2)}");
        AnsiConsole.MarkupLine($"AOT warm / JIT warm (median) = [bold]{warmRatio:F3}[/]");
        AnsiConsole.MarkupLine($"AOT init / JIT init (median) = [bold]{Median(samples["AOT init"]) / Median(samples["JIT init"]):F3}[/]");
        AnsiConsole.MarkupLine($"AOT warm (median) = [bold]{aotWarm:F1} ms[/]  target ≤ 50 ms: {Verdict(aotWarm <= 50)}");
        AnsiConsole.MarkupLine($"JIT warm (median) = [bold]{Median(samples["JIT warm"]):F1} ms[/]  target ≤ 50 ms: {Verdict(Median(samples["JIT warm"]) <= 50)}");
    }

    private static string Verdict(bool met) => met ? "[green]met[/]" : "[red]missed[/]";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private async Task<bool> PublishAotAsync(CancellationToken cancellationToken)
    {
        AnsiConsole.MarkupLine("[grey]Publishing the function with Native AOT (dotnet publish -c Release -r linux-x64)…[/]");
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = layout.Root, UseShellExecute = false };
        foreach (var arg in new[] { "publish", "ReactiveCache.Lambda", "-c", "Release", "-r", "linux-x64", "-o", layout.AotOutput, "-nologo" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0;
    }
}
