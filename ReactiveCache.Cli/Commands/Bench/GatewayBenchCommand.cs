using System.CommandLine;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Caching;
using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Routing;
using Spectre.Console;
using StackExchange.Redis;
using ReactiveCache.Domain;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// <c>reactive-cache bench gateway</c>: the gateway's Redis-hit path against a bare Kestrel endpoint serving
/// the same bytes from memory, same load generator, same run, 1 KB and 1 MB objects. Starts redis-server,
/// the gateway (in process) and the bare endpoint itself, on loopback; stops them at the end.
/// Beside them, the Lambda path: the same gateway with the keys routed to the Lambda layer, served by a
/// function (the Native AOT build, as deployed, unless told otherwise) through its tunnel (<see cref="FunctionRig"/>: Lambda emulator, one invoked
/// function holding both keys), measured in the same rounds against the Redis path. Two floors tell the
/// gateway's own cost from the hop's: bare Kestrel plus one Redis read, and bare Kestrel behind one YARP hop.
/// </summary>
public static class GatewayBenchCommand
{
    private const double RpsTarget = 0.8;
    private const double P99Target = 1.5;
    private const double LambdaRpsTarget = 0.6;
    private const string Function = "bench";

    /// <summary>The function's TICK: each served GET extends its life by one, so it outlives the pauses between its runs.</summary>
    private static readonly TimeSpan FunctionTick = TimeSpan.FromSeconds(300);

    public static Command Create()
    {
        var duration = new Option<int>("--duration") { Description = "Seconds measured per target and object size, per round.", DefaultValueFactory = _ => 5 };
        var warmup = new Option<int>("--warmup") { Description = "Seconds of warm-up before each measurement.", DefaultValueFactory = _ => 1 };
        var connections = new Option<int>("--connections") { Description = "Concurrent connections (closed loop).", DefaultValueFactory = _ => 16 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds, alternating targets, summed per target.", DefaultValueFactory = _ => 2 };
        var telemetry = new Option<bool>("--telemetry") { Description = "Run the gateway with the service defaults (OpenTelemetry instrumentation, no exporter)." };
        var noLambda = new Option<bool>("--no-lambda") { Description = "Leave out the Lambda path (which needs the built emulator and function of a checkout)." };
        var function = new Option<string?>("--function")
        {
            Description = "The function to serve through: 'aot' (default; the Native AOT bootstrap, as deployed, published into "
                          + "artifacts/lambda-aot when missing), 'jit' (the newer of the Release and Debug builds of bootstrap.dll, run with dotnet), "
                          + "or a path to either.",
        };
        var ordinaryPort = new Option<bool>("--ordinary-port")
        {
            Description = "The function dials the gateway's ordinary port (the tunnel over Kestrel's upgraded stream), not its tunnel port (Tunnel:ListenPort).",
        };
        var repo = new Option<string?>("--repo") { Description = "The repository root, for the Lambda path's programs (default: found above the current directory)." };

        var command = new Command("gateway", "Redis-hit path of the gateway vs a bare Kestrel endpoint, and its Lambda path vs the Redis path (RPS, p50, p99, ratios).")
        {
            duration, warmup, connections, rounds, telemetry, noLambda, function, ordinaryPort, repo,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            LambdaSetup? lambda = null;
            if (!parse.GetValue(noLambda))
            {
                try
                {
                    var layout = RepoLayout.Find(parse.GetValue(repo));
                    // Checked now rather than after the Redis part has started.
                    _ = layout.Dll("ReactiveCache.LambdaEmulator");
                    var choice = parse.GetValue(function) ?? "aot";
                    if (choice == "aot" && !File.Exists(layout.AotBootstrap) && !await layout.PublishAotAsync(cancellationToken))
                    {
                        await Console.Error.WriteLineAsync("Publishing the function with Native AOT failed (see above); --function jit runs the JIT build instead.");
                        return 2;
                    }

                    var bootstrap = choice switch
                    {
                        "aot" => layout.AotBootstrap,
                        "jit" => layout.Dll("ReactiveCache.Lambda", "bootstrap"),
                        _ => File.Exists(choice) ? Path.GetFullPath(choice) : throw new InvalidOperationException($"No function at {choice}."),
                    };
                    lambda = new LambdaSetup(layout, bootstrap, !parse.GetValue(ordinaryPort));
                }
                catch (InvalidOperationException e)
                {
                    await Console.Error.WriteLineAsync($"{e.Message}\n(--no-lambda leaves out the Lambda path.)");
                    return 2;
                }
            }

            return await RunAsync(
                TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(duration), 1, 120)),
                TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(warmup), 0, 60)),
                Math.Clamp(parse.GetValue(connections), 1, 1024),
                Math.Clamp(parse.GetValue(rounds), 1, 10),
                parse.GetValue(telemetry),
                lambda,
                cancellationToken);
        });
        return command;
    }

    /// <summary>Where the Lambda path's programs are.</summary>
    private sealed record LambdaSetup(RepoLayout Layout, string Bootstrap, bool TunnelPort)
    {
        public bool IsJit => Bootstrap.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

        public string Describe => (IsJit ? $"JIT: dotnet {Bootstrap}" : $"Native AOT: {Bootstrap}")
                                  + (TunnelPort ? ", dialling the tunnel port" : ", dialling the gateway's ordinary port");
    }

    private static async Task<int> RunAsync(TimeSpan duration, TimeSpan warmup, int connections, int rounds, bool withTelemetry, LambdaSetup? lambda, CancellationToken cancellationToken)
    {
        string[] keys = ["1KB.txt", "1MB.txt"];
        var objects = keys.ToDictionary(k => k, k => SampleObjects.All[k]);
        var root = Directory.CreateTempSubdirectory("reactive-cache-bench-").FullName;
        try
        {
            SampleObjects.SeedFolder(root);
            AnsiConsole.MarkupLine($"[grey]starting redis-server, the gateway (in process{(withTelemetry ? ", with telemetry" : "")}) and the bare endpoint on loopback…[/]");
            await using var redis = await BenchRedisServer.StartAsync(cancellationToken);
            await LoadAsync(redis, root, keys);
            await using var gateway = await InProcessGateway.StartAsync(root, (redis.Endpoint, redis.Password), withTelemetry, cancellationToken,
                tunnelPort: lambda?.TunnelPort ?? true);
            gateway.Route(keys, CacheLayer.Redis);
            await using var floorConnection = await ConnectionMultiplexer.ConnectAsync($"{redis.Endpoint},password={redis.Password}");
            await using var bare = await BareEndpoint.StartAsync(objects, floorConnection.GetDatabase(), cancellationToken);
            using var load = new LoadGenerator(connections);
            await using var rig = lambda is null ? null : await StartFunctionAsync(lambda, root, gateway, keys, cancellationToken);
            if (rig is not null)
            {
                await EnsureLambdaAsync(rig, gateway, load, keys, objects, cancellationToken);
                gateway.Route(keys, CacheLayer.Redis);
            }

            foreach (var key in keys)
            {
                using var probe = await load.ProbeAsync(new Uri(gateway.BaseAddress, $"objects/{key}"), objects[key].Length, cancellationToken);
                var origin = probe.Headers.TryGetValues("Content-Origin", out var values) ? values.Single() : "(none)";
                if (origin != "redis")
                {
                    throw new InvalidOperationException($"The gateway served {key} from '{origin}', not from Redis.");
                }

                using var _ = await load.ProbeAsync(new Uri(bare.BaseAddress, $"objects/{key}"), objects[key].Length, cancellationToken);
            }

            AnsiConsole.MarkupLine($"[grey]{connections} connections, {rounds} round(s) × {duration.TotalSeconds:F0} s per target and size (+{warmup.TotalSeconds:F0} s warm-up), targets alternating[/]");
            if (Console.IsOutputRedirected)
            {
                AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 180);
            }

            var table = new Table().AddColumns("object", "target", "requests", "errors", "RPS", "p50 ms", "p99 ms", "CPU µs/req here", "CPU µs/req redis-server | function");
            var verdicts = new List<string>();
            var allMet = true;
            foreach (var key in keys)
            {
                var runs = new Dictionary<string, List<LoadResult>> { ["bare"] = [], ["gateway"] = [], ["floor"] = [], ["proxy"] = [], ["lambda"] = [] };
                for (var round = 0; round < rounds; round++)
                {
                    runs["bare"].Add(await load.RunAsync("bare", new Uri(bare.BaseAddress, $"objects/{key}"), warmup, duration, () => redis.CpuTime, cancellationToken));
                    gateway.Route(keys, CacheLayer.Redis);
                    runs["gateway"].Add(await load.RunAsync("gateway", new Uri(gateway.BaseAddress, $"objects/{key}"), warmup, duration, () => redis.CpuTime, cancellationToken, origin: CacheLayer.Redis.ToName()));
                    runs["proxy"].Add(await load.RunAsync("proxy", new Uri(bare.BaseAddress, $"proxy/{key}"), warmup, duration, () => redis.CpuTime, cancellationToken));
                    runs["floor"].Add(await load.RunAsync("floor", new Uri(bare.BaseAddress, $"redis/{key}"), warmup, duration, () => redis.CpuTime, cancellationToken));

                    if (rig is not null)
                    {
                        // The same gateway, the keys routed to the Lambda layer: still through the tunnel (the
                        // function re-invoked if its life ended), then measured.
                        await EnsureLambdaAsync(rig, gateway, load, keys, objects, cancellationToken);
                        runs["lambda"].Add(await load.RunAsync("lambda", new Uri(gateway.BaseAddress, $"objects/{key}"), warmup, duration, () => rig.FunctionCpuTime, cancellationToken, origin: CacheLayer.Lambda.ToName()));
                    }
                }

                var baseline = Combine(runs["bare"]);
                var measured = Combine(runs["gateway"]);
                var rows = new[] { baseline, measured, Combine(runs["floor"]), Combine(runs["proxy"]) };
                foreach (var result in rows)
                {
                    table.AddRow(key, result.Target switch { "bare" => "bare Kestrel", "gateway" => "gateway, redis hit", "proxy" => "bare + 1 YARP hop (floor)", _ => "bare + 1 Redis read (floor)" }, result.Requests.ToString("N0"), result.Errors.ToString("N0"),
                        result.RequestsPerSecond.ToString("N0"), result.P50Ms.ToString("F3"), result.P99Ms.ToString("F3"),
                        result.ProcessCpuUsPerRequest.ToString("F1"), result.NodeCpuUsPerRequest.ToString("F1"));
                }

                var rpsRatio = measured.RequestsPerSecond / baseline.RequestsPerSecond;
                var p99Ratio = measured.P99Ms / baseline.P99Ms;
                var met = rpsRatio >= RpsTarget && p99Ratio <= P99Target && measured.Errors == 0;
                allMet &= met;
                verdicts.Add($"{key}: RPS ratio {rpsRatio:F2} (target ≥ {RpsTarget}), p99 ratio {p99Ratio:F2} (target ≤ {P99Target}) → {(met ? "[green]met[/]" : "[red]not met[/]")}"
                             + $"; floor (one Redis read, nothing else) / bare RPS {Combine(runs["floor"]).RequestsPerSecond / baseline.RequestsPerSecond:F2}");

                if (rig is not null)
                {
                    var viaLambda = Combine(runs["lambda"]);
                    table.AddRow(key, "gateway, lambda (tunnel)", viaLambda.Requests.ToString("N0"), viaLambda.Errors.ToString("N0"),
                        viaLambda.RequestsPerSecond.ToString("N0"), viaLambda.P50Ms.ToString("F3"), viaLambda.P99Ms.ToString("F3"),
                        viaLambda.ProcessCpuUsPerRequest.ToString("F1"), viaLambda.NodeCpuUsPerRequest.ToString("F1"));
                    var lambdaRatio = viaLambda.RequestsPerSecond / measured.RequestsPerSecond;
                    var lambdaMet = lambdaRatio >= LambdaRpsTarget && viaLambda.Errors == 0;
                    allMet &= lambdaMet;
                    verdicts.Add($"{key}: lambda / redis RPS ratio {lambdaRatio:F2} (target ≥ {LambdaRpsTarget}), p99 {viaLambda.P99Ms:F3} ms vs {measured.P99Ms:F3} ms → {(lambdaMet ? "[green]met[/]" : "[red]not met[/]")}"
                                 + $"; floor (one YARP hop, nothing else) / redis RPS {Combine(runs["proxy"]).RequestsPerSecond / measured.RequestsPerSecond:F2}");
                }
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"[grey]{Environment.ProcessorCount} cores shared by the load generator, both servers and redis-server; \"CPU µs/req here\" counts this process (load generator + server under test). errors: failed requests, non-200 answers, and gateway answers from another layer than the row's (Content-Origin), which are not counted as requests.[/]");
            if (rig is not null)
            {
                AnsiConsole.MarkupLine("[grey]lambda rows: the same in-process gateway, keys routed to the Lambda layer, forwarding through the tunnel to one function process that holds the objects in memory; \"CPU µs/req here\" leaves the function's process out, the last column is the function's. YARP-hop floor: bare Kestrel forwarding to itself over loopback with YARP, nothing else.[/]");
            }

            foreach (var verdict in verdicts)
            {
                AnsiConsole.MarkupLine(verdict);
            }

            // The verdict is printed, not turned into an exit code: figures from a shared machine are noisy.
            AnsiConsole.MarkupLine(allMet ? "[green]all targets met[/]" : "[yellow]not every target met (see above)[/]");
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The emulator and one function (AOT or JIT) invoked with both keys, serving through its tunnel into <paramref name="gateway"/>.</summary>
    private static async Task<FunctionRig> StartFunctionAsync(LambdaSetup lambda, string root, InProcessGateway gateway, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        AnsiConsole.MarkupLine($"[grey]starting the Lambda emulator and the function ({Markup.Escape(lambda.Describe)}, TICK {FunctionTick.TotalSeconds:F0} s), tunnelling into the gateway…[/]");
        var settings = new Dictionary<string, string>
        {
            ["Emulator__MaxConcurrency"] = "2",
            [$"Emulator__Functions__{Function}__Command"] = lambda.IsJit ? "dotnet" : lambda.Bootstrap,
            [$"Emulator__Functions__{Function}__Timeout"] = "00:15:00",
        };
        if (lambda.IsJit)
        {
            settings[$"Emulator__Functions__{Function}__Args__0"] = lambda.Bootstrap;
        }

        var rig = await FunctionRig.StartAsync(lambda.Layout, root, gateway, settings, cancellationToken);
        try
        {
            // Activation is measured on the Lambda route: S3 answers until the function has tunnelled in.
            gateway.Route(keys, CacheLayer.Lambda);
            var activation = await rig.ActivateAsync(Function, rig.Payload(keys, FunctionTick), expectCold: true, cancellationToken);
            AnsiConsole.MarkupLine($"[grey]function serving through its tunnel {activation:F0} ms after the invoke[/]");
            return rig;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or HttpRequestException)
        {
            var output = rig.Output;
            await rig.DisposeAsync();
            throw new InvalidOperationException($"The function did not come to serve through its tunnel: {e.Message}\n{output}", e);
        }
    }

    /// <summary>
    /// Routes the keys to the Lambda layer and checks that the gateway serves every one from the function
    /// (<c>Content-Origin: lambda</c>, whole bodies); once, re-invokes the function when it no longer does (its
    /// life or its 15-minute timeout ended).
    /// </summary>
    private static async Task EnsureLambdaAsync(FunctionRig rig, InProcessGateway gateway, LoadGenerator load, IReadOnlyList<string> keys, Dictionary<string, byte[]> objects, CancellationToken cancellationToken)
    {
        gateway.Route(keys, CacheLayer.Lambda);
        for (var attempt = 0; ; attempt++)
        {
            var notLambda = new List<string>();
            foreach (var key in keys)
            {
                using var probe = await load.ProbeAsync(new Uri(gateway.BaseAddress, $"objects/{key}"), objects[key].Length, cancellationToken);
                var origin = probe.Headers.TryGetValues("Content-Origin", out var values) ? values.Single() : "(none)";
                if (origin != "lambda")
                {
                    notLambda.Add($"{key} from '{origin}'");
                }
            }

            if (notLambda.Count == 0)
            {
                return;
            }

            if (attempt > 0)
            {
                throw new InvalidOperationException($"The gateway served {string.Join(", ", notLambda)}, not through the function.\n{rig.Output}");
            }

            AnsiConsole.MarkupLine("[grey]the function no longer serves; invoking it again…[/]");
            await rig.ActivateAsync(Function, rig.Payload(keys, FunctionTick), expectCold: null, cancellationToken);
        }
    }

    /// <summary>Rounds of one target as one run: requests and time summed, percentiles pooled as the mean of the rounds'.</summary>
    private static LoadResult Combine(List<LoadResult> runs)
    {
        // Latency percentiles average over the rounds that had answers: a round of errors only has none, and
        // its NaN would hide every other round's figures (its errors are still counted).
        var answered = runs.Where(r => r.Requests > 0).ToList();
        return new(
            runs[0].Target,
            runs.Sum(r => r.Requests),
            runs.Sum(r => r.Errors),
            TimeSpan.FromTicks(runs.Sum(r => r.Elapsed.Ticks)),
            answered.Count > 0 ? answered.Average(r => r.P50Ms) : double.NaN,
            answered.Count > 0 ? answered.Average(r => r.P99Ms) : double.NaN,
            TimeSpan.FromTicks(runs.Sum(r => r.ProcessCpu.Ticks)),
            TimeSpan.FromTicks(runs.Sum(r => r.NodeCpu.Ticks)));
    }

    /// <summary>Puts the objects on the node the way the orchestrator does.</summary>
    private static async Task LoadAsync(BenchRedisServer redis, string root, IEnumerable<string> keys)
    {
        var store = new FolderObjectStore(Options.Create(new ObjectStoreOptions { Kind = ObjectStoreKind.Folder, Root = root }));
        await using var connection = await ConnectionMultiplexer.ConnectAsync($"{redis.Endpoint},password={redis.Password}");
        foreach (var key in keys)
        {
            var metadata = await store.GetMetadataAsync(key) ?? throw new InvalidOperationException($"No {key} in {root}.");
            await CacheEntryLayout.StoreAsync(connection.GetDatabase(), metadata, SampleObjects.All[key]);
        }
    }
}
