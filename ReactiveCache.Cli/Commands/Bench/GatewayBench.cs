using ReactiveCache.Core.Objects;
using Spectre.Console;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// <c>bench gateway</c>: the gateway's Redis-hit path against a bare Kestrel endpoint serving the same bytes
/// from memory, 1 KB and 1 MB objects, with the same load generator in the same run; beside them the Lambda
/// path (the same gateway, the keys routed to a function serving through its tunnel) against the Redis path,
/// and two floors that tell the gateway's own cost from the hop's: bare Kestrel plus one Redis read, and bare
/// Kestrel behind one YARP hop. Set-up (<see cref="GatewayBenchRig"/>), measurement
/// (<see cref="GatewayBenchMeasurement"/>) and report (<see cref="GatewayBenchReport"/>, <see cref="GatewayVerdicts"/>).
/// </summary>
internal static class GatewayBench
{
    public static async Task<int> RunAsync(GatewayBenchSettings settings, CancellationToken cancellationToken)
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, GatewayBenchReport.LogWidth);
        }

        var root = Directory.CreateTempSubdirectory("reactive-cache-bench-").FullName;
        try
        {
            SampleObjects.SeedFolder(root);
            await using var rig = await GatewayBenchRig.StartAsync(root, settings, cancellationToken);
            await rig.CheckAsync(cancellationToken);

            AnsiConsole.MarkupLine($"[grey]{settings.Connections} connections, {settings.Rounds} round(s) × {settings.Duration.TotalSeconds:F0} s per target and size (+{settings.Warmup.TotalSeconds:F0} s warm-up), targets alternating[/]");
            var results = await GatewayBenchMeasurement.RunAsync(rig, settings, cancellationToken);

            GatewayBenchReport.Write(AnsiConsole.Console, results, GatewayVerdicts.Judge(results));
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
