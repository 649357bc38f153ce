using System.Runtime;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Caching;
using ReactiveCache.Core.Objects;
using ReactiveCache.Domain;
using Spectre.Console;
using StackExchange.Redis;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// <c>bench memory</c>: how much the gateway's resident memory grows while it serves, per layer (S3 from the
/// folder store, Redis from redis-server, Lambda through the function's tunnel): under <c>concurrency</c>
/// concurrent GETs of a 1 MB object, and under one GET of a large object (100 MB). The gateway runs in this
/// process, composed as in <c>bench gateway</c>, with the garbage collector the gateway runs with (server GC);
/// the load runs in a child process (<see cref="BenchLoadCommand"/>) so that its buffers are not counted.
/// Before each measurement a full compacting collection returns what earlier ones left; growth is the peak RSS
/// (sampled every 5 ms, <see cref="RssSampler"/>) minus the RSS just before.
/// </summary>
internal static class MemoryBench
{
    private const string Small = "1MB.txt";
    private const long MiB = 1024 * 1024;

    public static async Task<int> RunAsync(MemoryBenchSettings settings, CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("reactive-cache-memory-").FullName;
        var large = $"{settings.LargeMiB}MB.bin";
        try
        {
            SampleObjects.SeedFolder(root);
            WriteLarge(Path.Combine(root, large), settings.LargeMiB * MiB);
            string[] keys = [Small, large];

            AnsiConsole.MarkupLine($"[grey]GC: {(GCSettings.IsServerGC ? "server" : "workstation")}; starting redis-server and the gateway (in process) on loopback…[/]");
            await using var redis = await BenchRedisServer.StartAsync(cancellationToken);
            await StoreAsync(redis, root, keys, cancellationToken);
            await using var gateway = await InProcessGateway.StartAsync(root, (redis.Endpoint, redis.Password), withTelemetry: false, cancellationToken);
            await using var function = settings.Lambda is { } lambda
                ? await GatewayBenchFunction.StartAsync(lambda, root, gateway, keys, cancellationToken)
                : null;

            var layers = new List<CacheLayer> { CacheLayer.S3, CacheLayer.Redis };
            if (function is not null)
            {
                layers.Add(CacheLayer.Lambda);
            }

            var rows = new List<MemoryRow>();
            foreach (var layer in layers)
            {
                gateway.Route(keys, layer);
                var check = new AnswerCheck("Content-Origin", layer.ToName());
                // One GET of each first: connections made, code paths compiled, the layer checked to answer.
                foreach (var key in keys)
                {
                    var probe = await BenchLoadCommand.RunAsync(Url(gateway, key), 1, 1, check, cancellationToken);
                    if (probe.Answers != 1)
                    {
                        throw new InvalidOperationException($"GET {key} was not answered by the {layer.ToName()} layer.");
                    }
                }

                AnsiConsole.MarkupLine($"[grey]{layer.ToName()}: {settings.Concurrency} × {settings.PerWorker} GETs of {Small}, then one of {large}…[/]");
                rows.Add(await MeasureAsync(gateway, layer, Small, settings.Concurrency, settings.PerWorker, check, cancellationToken));
                rows.Add(await MeasureAsync(gateway, layer, large, 1, 1, check, cancellationToken));
            }

            Report(rows, settings);
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<MemoryRow> MeasureAsync(InProcessGateway gateway, CacheLayer layer, string key, int concurrency, int perWorker, AnswerCheck check,
        CancellationToken cancellationToken)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        await Task.Delay(100, cancellationToken);
        var pid = Environment.ProcessId;
        var before = RssSampler.Read(pid);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        ConcurrentGets.Result result;
        long peak;
        await using (var sampler = RssSampler.Start(pid))
        {
            result = await BenchLoadCommand.RunAsync(Url(gateway, key), concurrency, perWorker, check, cancellationToken);
            peak = sampler.PeakBytes;
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return new MemoryRow(layer, key, concurrency, result, before, Math.Max(peak, RssSampler.Read(pid)), allocated);
    }

    private static void Report(IReadOnlyList<MemoryRow> rows, MemoryBenchSettings settings)
    {
        var table = new Table().AddColumns("layer", "object", "concurrent", "GETs", "other layer", "errors", "MB/s", "RSS before MB", "peak MB", "growth MB", "allocated KB / GET", $"goal ≤ {settings.GoalMiB} MB");
        foreach (var row in rows)
        {
            var growth = (row.Peak - row.Before) / (double)MiB;
            table.AddRow(row.Layer.ToName(), Markup.Escape(row.Key), row.Concurrency.ToString(), row.Result.Answers.ToString("N0"), row.Result.Others.ToString("N0"), row.Result.Errors.ToString("N0"),
                (row.Result.Bytes / (double)MiB / row.Result.Elapsed.TotalSeconds).ToString("F0"),
                (row.Before / (double)MiB).ToString("F1"), (row.Peak / (double)MiB).ToString("F1"), growth.ToString("F1"),
                (row.Allocated / 1024.0 / Math.Max(1, row.Result.Answers + row.Result.Others + row.Result.Errors)).ToString("F1"),
                row.Result.Errors + row.Result.Others > 0 ? "[red]not all from the layer[/]" : growth <= settings.GoalMiB ? "[green]met[/]" : "[red]not met[/]");
        }

        if (Console.IsOutputRedirected)
        {
            // Wide enough for the table in a log.
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]RSS of this process (the gateway in process, its GC as the gateway's); the load ran in a child process. GETs: answered by the row's layer; other layer: answered after a fallback (not counted in GETs); growth: peak (sampled every 5 ms) minus the RSS after a full compacting collection just before; allocated: managed bytes this process allocated while the row ran, per GET (what the collector must reclaim).[/]");
    }

    private static Uri Url(InProcessGateway gateway, string key) => new(gateway.BaseAddress, $"objects/{key}");

    /// <summary>A large object of deterministic text: the 1 MB sample over and over.</summary>
    private static void WriteLarge(string path, long length)
    {
        var block = SampleObjects.All[Small];
        using var file = File.Create(path);
        for (long written = 0; written < length; written += block.Length)
        {
            file.Write(block, 0, (int)Math.Min(block.Length, length - written));
        }
    }

    /// <summary>Puts the objects on the node the way the orchestrator does (before anything is measured).</summary>
    internal static async Task StoreAsync(BenchRedisServer redis, string root, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        await using var node = await ConnectionMultiplexer.ConnectAsync($"{redis.Endpoint},password={redis.Password},syncTimeout=30000,asyncTimeout=30000");
        var store = new FolderObjectStore(Options.Create(new ObjectStoreOptions { Kind = ObjectStoreKind.Folder, Root = root }));
        foreach (var key in keys)
        {
            var metadata = await store.GetMetadataAsync(key, cancellationToken) ?? throw new InvalidOperationException($"No {key} in {root}.");
            await using var body = File.OpenRead(Path.Combine(root, key));
            await CacheEntryLayout.StoreAsync(node.GetDatabase(), metadata, body, cancellationToken);
        }
    }

    private sealed record MemoryRow(CacheLayer Layer, string Key, int Concurrency, ConcurrentGets.Result Result, long Before, long Peak, long Allocated);
}
