using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Routing;
using Spectre.Console;
using ReactiveCache.Domain;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// Starts the gateway (in process, the key routed to the Lambda layer) and the Lambda emulator (the built
/// program, whose environments are real processes), then, for each run,
/// activates a fresh function (cold: a new process) and the same one again (warm), for the Native AOT
/// and the JIT builds alternately. Activation = invoke → first GET through the gateway answered by the
/// function (<c>Content-Origin: lambda</c>).
/// </summary>
public sealed class StartupBench(RepoLayout layout, string key, int runs)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(300);

    public async Task<int> RunAsync(string? aotPath, string? jitPath, CancellationToken cancellationToken)
    {
        var jit = jitPath ?? layout.Dll("ReactiveCache.Lambda", "bootstrap");
        var aot = aotPath ?? layout.AotBootstrap;
        if (!File.Exists(aot))
        {
            if (aotPath is not null || !await layout.PublishAotAsync(cancellationToken))
            {
                await Console.Error.WriteLineAsync($"No Native AOT bootstrap at {aot}.");
                return 1;
            }
        }

        var objects = Directory.CreateTempSubdirectory("bench-startup-objects-");
        try
        {
            SampleObjects.SeedFolder(objects.FullName);
            var emulatorSettings = new Dictionary<string, string>
            {
                ["Emulator__IdleTimeout"] = "00:10:00",
                ["Emulator__MaxConcurrency"] = (2 * runs + 2).ToString(),
            };
            for (var run = 1; run <= runs; run++)
            {
                emulatorSettings[$"Emulator__Functions__aot-{run}__Command"] = aot;
                emulatorSettings[$"Emulator__Functions__jit-{run}__Command"] = "dotnet";
                emulatorSettings[$"Emulator__Functions__jit-{run}__Args__0"] = jit;
            }

            AnsiConsole.MarkupLine($"[grey]AOT:[/] {Markup.Escape(aot)}\n[grey]JIT:[/] dotnet {Markup.Escape(jit)}\n[grey]key:[/] {Markup.Escape(key)}, {runs} runs, TICK {Tick.TotalMilliseconds} ms");
            await using var gateway = await InProcessGateway.StartAsync(objects.FullName, node: null, withTelemetry: false, cancellationToken);
            // The key routed to the Lambda layer: S3 answers (fallback) until a function holding it tunnels in.
            gateway.Route([key], CacheLayer.Lambda);
            await using var rig = await FunctionRig.StartAsync(layout, objects.FullName, gateway, emulatorSettings, cancellationToken);

            // Warm the gateway's own path (JIT of its S3 route) so that it does not count against the first run.
            for (var i = 0; i < 20; i++)
            {
                using var _ = await rig.GatewayClient.GetAsync($"/objects/{key}", cancellationToken);
            }

            var samples = new[] { "AOT cold", "AOT warm", "JIT cold", "JIT warm", "AOT init", "JIT init" }
                .ToDictionary(name => name, _ => new LatencyHistogram());
            try
            {
                for (var run = 1; run <= runs; run++)
                {
                    // Alternate which build goes first, so neither always meets a busier machine.
                    foreach (var build in run % 2 == 1 ? new[] { "aot", "jit" } : ["jit", "aot"])
                    {
                        var function = $"{build}-{run}";
                        var label = build.ToUpperInvariant();
                        // A payload per invocation: its tokens name the invocation, and the gateway refuses (410) dials
                        // for an invocation that has already said goodbye.
                        var cold = await rig.ActivateAsync(function, rig.Payload([key], Tick), expectCold: true, cancellationToken);
                        var init = await rig.WaitForIdleAsync(function, cancellationToken);
                        var warm = await rig.ActivateAsync(function, rig.Payload([key], Tick), expectCold: false, cancellationToken);
                        await rig.WaitForIdleAsync(function, cancellationToken);
                        samples[$"{label} cold"].Record(TimeSpan.FromMilliseconds(cold));
                        samples[$"{label} init"].Record(TimeSpan.FromMilliseconds(init));
                        samples[$"{label} warm"].Record(TimeSpan.FromMilliseconds(warm));
                        AnsiConsole.MarkupLine($"[grey]run {run} {label}: cold {cold:F1} ms, warm {warm:F1} ms[/]");
                    }
                }
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException or HttpRequestException)
            {
                await Console.Error.WriteLineAsync($"{e.Message}\n{rig.Output}");
                return 1;
            }

            Report(samples);
            return 0;
        }
        finally
        {
            objects.Delete(recursive: true);
        }
    }

    private static void Report(Dictionary<string, LatencyHistogram> samples)
    {
        var table = new Table().Title("function activation: invoke → first tunnelled hit (ms)")
            .AddColumns("", "median", "mean", "min", "max", "n");
        foreach (var (name, values) in samples)
        {
            table.AddRow(name, $"{values.P50Ms:F1}", $"{values.MeanMs:F1}", $"{values.MinMs:F1}", $"{values.MaxMs:F1}", values.Count.ToString());
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]cold/warm: invoke → first GET answered through the tunnel; init: process start → first Runtime API next.[/]");
        var coldRatio = samples["AOT cold"].P50Ms / samples["JIT cold"].P50Ms;
        var warmRatio = samples["AOT warm"].P50Ms / samples["JIT warm"].P50Ms;
        var aotWarm = samples["AOT warm"].P50Ms;
        var jitWarm = samples["JIT warm"].P50Ms;
        AnsiConsole.MarkupLine($"AOT cold / JIT cold (median) = [bold]{coldRatio:F3}[/]  target ≤ 0.2: {Verdict(coldRatio <= 0.2)}");
        AnsiConsole.MarkupLine($"AOT warm / JIT warm (median) = [bold]{warmRatio:F3}[/]");
        AnsiConsole.MarkupLine($"AOT init / JIT init (median) = [bold]{samples["AOT init"].P50Ms / samples["JIT init"].P50Ms:F3}[/]");
        AnsiConsole.MarkupLine($"AOT warm (median) = [bold]{aotWarm:F1} ms[/]  target ≤ 50 ms: {Verdict(aotWarm <= 50)}");
        AnsiConsole.MarkupLine($"JIT warm (median) = [bold]{jitWarm:F1} ms[/]  target ≤ 50 ms: {Verdict(jitWarm <= 50)}");
    }

    private static string Verdict(bool met) => met ? "[green]met[/]" : "[red]missed[/]";
}
