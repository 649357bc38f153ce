using System.Globalization;
using ReactiveCache.Core.Objects;
using ReactiveCache.Domain;
using Spectre.Console;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// <c>bench soak</c>: the gateway (in this process, composed as in <c>bench gateway</c>, with server GC) under
/// <c>connections</c> concurrent closed-loop connections for a long while, over a mix of objects on two layers (two on
/// the cache node, a redis-server of its own, one on S3 from the folder store). The load runs in a child process
/// (<see cref="SoakLoadCommand"/>), so that its sockets and buffers are not counted. Reports errors (goal: none),
/// fallbacks (answers from another layer than the object's route), latency percentiles of the answers, and the
/// gateway's RSS before the load, at its peak and after it.
/// </summary>
internal static class SoakBench
{
    private const long MiB = 1024 * 1024;

    /// <summary>The mix: each object and the layer it is routed to.</summary>
    private static readonly (string Key, CacheLayer Layer)[] Mix =
    [
        ("index.html", CacheLayer.Redis),
        ("1KB.txt", CacheLayer.Redis),
        ("100B.txt", CacheLayer.S3),
    ];

    public static async Task<int> RunAsync(int connections, TimeSpan warmup, TimeSpan duration, CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("reactive-cache-soak-").FullName;
        try
        {
            SampleObjects.SeedFolder(root);
            AnsiConsole.MarkupLine("[grey]Starting redis-server and the gateway (in process) on loopback…[/]");
            await using var redis = await BenchRedisServer.StartAsync(cancellationToken);
            var onNode = Mix.Where(m => m.Layer == CacheLayer.Redis).Select(m => m.Key).ToList();
            await MemoryBench.StoreAsync(redis, root, onNode, cancellationToken);
            await using var gateway = await InProcessGateway.StartAsync(root, (redis.Endpoint, redis.Password), withTelemetry: false, cancellationToken);
            gateway.Route(onNode, CacheLayer.Redis);

            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            var pid = Environment.ProcessId;
            var start = RssSampler.Read(pid);
            AnsiConsole.MarkupLine($"[grey]{connections} connections for {duration.TotalSeconds:0} s (after {warmup.TotalSeconds:0} s of warm-up), over {string.Join(", ", Mix.Select(m => $"{m.Key} ({m.Layer.ToName()})"))}…[/]");
            SoakLoadCommand.Result result;
            long peak;
            await using (var sampler = RssSampler.Start(pid, TimeSpan.FromMilliseconds(50)))
            {
                result = await SoakLoadCommand.RunAsync(Mix.Select(m => (new Uri(gateway.BaseAddress, $"objects/{m.Key}"), m.Layer.ToName())),
                    connections, warmup, duration, cancellationToken);
                peak = sampler.PeakBytes;
            }

            var end = RssSampler.Read(pid);
            Report(connections, result, start, Math.Max(peak, end), end);
            return result.Errors == 0 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Report(int connections, SoakLoadCommand.Result result, long start, long peak, long end)
    {
        static string F(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
        var table = new Table().AddColumns("connections", "seconds", "answers", "req/s", "fallbacks", "errors", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms",
            "RSS start MB", "RSS peak MB", "RSS end MB", "errors = 0");
        table.AddRow(connections.ToString(CultureInfo.InvariantCulture), F(result.Seconds), result.Answers.ToString("N0", CultureInfo.InvariantCulture),
            F(result.Answers / result.Seconds), result.Fallbacks.ToString("N0", CultureInfo.InvariantCulture), result.Errors.ToString("N0", CultureInfo.InvariantCulture),
            F(result.P50Ms), F(result.P90Ms), F(result.P99Ms), F(result.P999Ms), F(result.MaxMs),
            F(start / (double)MiB), F(peak / (double)MiB), F(end / (double)MiB), result.Errors == 0 ? "[green]met[/]" : "[red]not met[/]");
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 200);
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]answers: status 200 from the object's layer (latencies are theirs); fallbacks: status 200 from another layer; errors: other statuses, refused or cut-off connections. RSS of this process (the gateway, server GC; the load ran in a child): after a full collection before the load, its peak (sampled every 50 ms), and right after it.[/]");
    }
}
