using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using ReactiveCache.IntegrationTests.Infrastructure;

namespace ReactiveCache.IntegrationTests.AppHost.Faults;

/// <summary>
/// The whole local topology (AppHost: orchestrator, two gateways, the Lambda emulator, the local cache node) under a
/// steady load that runs from the fixture's start to its end: about 200 GETs a second, round-robin over both gateways,
/// over a mix of objects on all three layers, every body checked byte for byte (<see cref="SteadyLoad"/>). The mix:
/// two objects the policy takes to the node (<see cref="HotSmall"/>, <see cref="HotLarge"/>), one pinned to a function
/// (<see cref="OnFunction"/>, 1 MB), one pinned to S3 (<see cref="OnS3"/>). The policy is the thesis's with the short
/// configuration of <see cref="AppHostFixture"/> (a key the load asks for reaches the node within seconds; set
/// explicitly: the recovery the tests expect after each fault, and the figures in docs/faults.md, are the thesis's walk). The tests
/// break one part at a time and read the load's attempts around it; each leaves the layout as it found it
/// (<see cref="EnsureLayoutAsync"/>).
/// </summary>
public sealed class FaultTopologyFixture : IAsyncLifetime
{
    public const string HotSmall = "fault-hot-4k.bin";
    public const string HotLarge = "fault-hot-256k.bin";
    public const string OnFunction = "fault-fn-1mb.bin";
    public const string OnS3 = "fault-s3-16k.bin";

    /// <summary>
    /// Past the gateway's hold-back (Tunnel:MaxBufferedBytes, 8 MiB) and past what the sockets on the way can buffer (a
    /// receive buffer grows to 32 MiB here): only the function test asks for it.
    /// </summary>
    public const string Large = "fault-fn-100mb.bin";

    public static readonly string[] Gateways = ["gateway", "gateway-2"];

    private readonly DirectoryInfo _objects = Directory.CreateTempSubdirectory("fault-objects-");
    private DistributedApplication? _app;
    private SteadyLoad? _load;
    private readonly CancellationTokenSource _stopLogs = new();
    private readonly Dictionary<string, Queue<string>> _logs = new();

    public string ControlApiKey { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    /// <summary>Where this AppHost's orchestrator keeps its node's state file (the node's process id and port).</summary>
    public string NodeStateDirectory { get; } = Directory.CreateTempSubdirectory("fault-node-state-").FullName;

    public IReadOnlyDictionary<string, byte[]> Bodies { get; } = new Dictionary<string, byte[]>
    {
        [HotSmall] = Bytes(1, 4 * 1024),
        [HotLarge] = Bytes(2, 256 * 1024),
        [OnFunction] = Bytes(3, 1024 * 1024),
        [OnS3] = Bytes(4, 16 * 1024),
        [Large] = Bytes(5, 100 * 1024 * 1024),
    };

    /// <summary>Where each object of the load is served from while nothing is broken.</summary>
    public static readonly IReadOnlyDictionary<string, string> Layout = new Dictionary<string, string>
    {
        [HotSmall] = "redis",
        [HotLarge] = "redis",
        [OnFunction] = "lambda",
        [OnS3] = "s3",
    };

    public DistributedApplication App => _app ?? throw new InvalidOperationException("Not started.");

    public SteadyLoad Load => _load ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        foreach (var (key, body) in Bodies)
        {
            await File.WriteAllBytesAsync(Path.Combine(_objects.FullName, key), body);
        }

        using var cts = new CancellationTokenSource(AppHostFixture.StartTimeout);
        _app = await AppHostFixture.StartAsync(_objects.FullName, ControlApiKey, cts.Token, policy: AppHostFixture.ThesisShortPolicy,
            nodeStateDirectory: NodeStateDirectory);
        foreach (var name in AppHostFixture.ServiceResources)
        {
            _ = FollowLogsAsync(name);
        }

        foreach (var name in AppHostFixture.ServiceResources)
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(name, cts.Token);
        }

        await PinAsync(OnS3, "s3");
        await PinAsync(OnFunction, "lambda");
        _load = SteadyLoad.Start(
            [.. Gateways.Select(g => new SteadyLoadTarget(g, _app.GetEndpoint(g, "http")))],
            [.. new[] { HotSmall, OnS3, HotSmall, HotLarge, HotSmall, OnFunction, OnS3, HotSmall }.Select(k => new SteadyLoadObject(k, Bodies[k]))],
            new SteadyLoadOptions(RatePerSecond: 200, Retries: 100, RetryLimit: TimeSpan.FromSeconds(40)));
        await EnsureLayoutAsync(TimeSpan.FromMinutes(5));
    }

    /// <summary>A client of the orchestrator's control API, with its key.</summary>
    public HttpClient CreateOrchestratorClient()
    {
        var client = App.CreateHttpClient("orchestrator", "http");
        client.DefaultRequestHeaders.Authorization = new("Bearer", ControlApiKey);
        return client;
    }

    /// <summary>Pins <paramref name="key"/> to <paramref name="layer"/>.</summary>
    public async Task PinAsync(string key, string layer)
    {
        using var orchestrator = CreateOrchestratorClient();
        using var pinned = await orchestrator.PutAsync($"/routes/{key}?layer={layer}", null);
        Assert.Equal(HttpStatusCode.Accepted, pinned.StatusCode);
    }

    /// <summary>The layer <paramref name="key"/> is pinned to (null: none, or the orchestrator does not know the key).</summary>
    public async Task<string?> PinnedAsync(string key)
    {
        using var orchestrator = CreateOrchestratorClient();
        using var response = await orchestrator.GetAsync($"/state/{key}");
        return response.IsSuccessStatusCode && (await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("pinned", out var pinned)
            ? pinned.GetString()
            : null;
    }

    /// <summary>
    /// Puts the pins back if a test lost them (a restarted orchestrator starts without pins) and waits until every
    /// object of the load is answered by its layer (<see cref="Layout"/>) through each gateway.
    /// </summary>
    public async Task EnsureLayoutAsync(TimeSpan timeout)
    {
        foreach (var (key, layer) in new[] { (OnS3, "s3"), (OnFunction, "lambda") })
        {
            if (!string.Equals(await PinnedAsync(key), layer, StringComparison.OrdinalIgnoreCase))
            {
                await PinAsync(key, layer);
            }
        }

        var from = Load.Now;
        var laidOut = await Eventually.TryHoldsAsync(() =>
            {
                var window = Load.Window(from);
                return Task.FromResult(Gateways.All(g => Layout.All(l =>
                    window.Attempts.Any(a => a.Target == g && a.Key == l.Key && a.Outcome == SteadyLoadOutcome.Ok && a.Origin == l.Value))));
            },
            timeout, TimeSpan.FromMilliseconds(250));
        if (!laidOut)
        {
            Assert.Fail($"Not every object of the load was served by its layer through each gateway within {timeout}: {Load.Window(from).Describe()}\n{await DiagnosticsAsync()}");
        }
    }

    /// <summary>What the orchestrator and the emulator say (for a failure's message).</summary>
    public async Task<string> DiagnosticsAsync()
    {
        var lines = new List<string>();
        try
        {
            using var orchestrator = CreateOrchestratorClient();
            foreach (var path in Layout.Keys.Select(k => $"/state/{k}").Concat(["/node", "/gateways", "/reconciliation"]))
            {
                using var response = await orchestrator.GetAsync(path);
                lines.Add($"orchestrator {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            foreach (var gateway in Gateways)
            {
                using var client = App.CreateHttpClient(gateway, "http");
                lines.Add($"{gateway} /routes: {await client.GetStringAsync("/routes")}");
            }

            lines.Add($"emulator: {string.Join("; ", (await EnvironmentsAsync()).Select(e => $"{e.ProcessId} {e.State} {e.Invocations} since {e.StartedAt:HH:mm:ss}"))}");
        }
        catch (Exception e)
        {
            lines.Add($"(diagnostics failed: {e.Message})");
        }

        lock (_logs)
        {
            foreach (var (name, log) in _logs)
            {
                lines.Add($"--- last lines of {name}'s log:");
                lines.AddRange(log);
            }
        }

        return string.Join("\n", lines);
    }

    /// <summary>The process id Aspire started <paramref name="resource"/> as.</summary>
    public int ProcessIdOf(string resource)
    {
        Assert.True(App.ResourceNotifications.TryGetCurrentState(resource, out var state), $"{resource} has no state");
        var pid = state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value;
        return pid is null ? throw new InvalidOperationException($"{resource} has no process id yet") : Convert.ToInt32(pid, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Kills <paramref name="resource"/>'s process and those below it (SIGKILL), but for those <paramref name="spare"/>
    /// names (by command line), which outlive it as orphans (the orchestrator's cache node).
    /// </summary>
    public void Kill(string resource, Func<string, bool>? spare = null)
    {
        var pid = ProcessIdOf(resource);
        var below = ProcessTree.Descendants(pid).Where(p => spare?.Invoke(p.CommandLine) != true).ToList();
        ProcessTree.Kill(pid);
        foreach (var (child, _) in below)
        {
            ProcessTree.Kill(child);
        }
    }

    /// <summary>Starts a resource that was killed again (Aspire's Start command), and waits until it is healthy.</summary>
    public async Task<TimeSpan> RestartAsync(string resource, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var clock = Stopwatch.StartNew();
        await App.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.Snapshot.State?.Text is { } s && KnownResourceStates.TerminalStates.Contains(s), cts.Token);
        var started = await App.ResourceCommands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, cts.Token);
        Assert.True(started.Success, $"Start {resource}: {started.Message}");
        // the start command returns before the orchestration moves the resource out of its terminal state: waiting for
        // health at once could read the killed process's snapshot and report a failed start
        await App.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.Snapshot.State?.Text is { } s && !KnownResourceStates.TerminalStates.Contains(s), cts.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, cts.Token);
        return clock.Elapsed;
    }

    /// <summary>The emulator's execution environments (each a function process).</summary>
    public async Task<IReadOnlyList<EnvironmentView>> EnvironmentsAsync()
    {
        using var emulator = App.CreateHttpClient("lambda-emulator", "http");
        return (await emulator.GetFromJsonAsync<List<EnvironmentView>>("/emulator/environments", ControlApiClient.Json))!;
    }

    /// <summary>Keeps the last warnings and errors (and the engine's and the policy's lines) of <paramref name="resource"/>'s log for <see cref="DiagnosticsAsync"/>.</summary>
    private async Task FollowLogsAsync(string resource)
    {
        var log = new Queue<string>();
        lock (_logs)
        {
            _logs[resource] = log;
        }

        try
        {
            var logger = App.Services.GetRequiredService<ResourceLoggerService>();
            await foreach (var batch in logger.WatchAsync(resource).WithCancellation(_stopLogs.Token))
            {
                lock (_logs)
                {
                    foreach (var line in batch.Where(l => l.IsErrorMessage || l.Content.Contains("warn", StringComparison.OrdinalIgnoreCase)
                                 || l.Content.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Content.Contains("Policy", StringComparison.Ordinal)))
                    {
                        log.Enqueue(line.Content.Length > 400 ? line.Content[..400] : line.Content);
                        if (log.Count > 40)
                        {
                            log.Dequeue();
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task DisposeAsync()
    {
        await _stopLogs.CancelAsync();
        if (_load is not null)
        {
            await _load.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _objects.Delete(recursive: true);
        Directory.Delete(NodeStateDirectory, recursive: true);
    }

    /// <summary>Bytes no two objects share at any offset (a body mixed from two objects shows).</summary>
    private static byte[] Bytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public sealed record EnvironmentView(string Id, string Function, int ProcessId, string State, int Invocations, DateTimeOffset StartedAt);
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultTopologyCollection : ICollectionFixture<FaultTopologyFixture>
{
    public const string Name = "FaultTopology";
}
