using System.Diagnostics;
using System.Text.Json;
using Aspire.Hosting.Testing;
using ReactiveCache.IntegrationTests.Infrastructure;
using ReactiveCache.IntegrationTests.Lambda;
using Xunit.Abstractions;
using static ReactiveCache.IntegrationTests.AppHost.Faults.FaultTopologyFixture;

namespace ReactiveCache.IntegrationTests.AppHost.Faults;

/// <summary>
/// One part of the local topology broken at a time under the fixture's steady load (about 200 GETs a second over both
/// gateways, objects on all three layers, every body checked byte for byte): the cache node killed, functions killed
/// mid-stream, the orchestrator killed and restarted, a gateway killed and restarted. What clients got is read from
/// the load's attempts around the fault; the figures (time to fall back, to rebuild routes) go to the test output.
/// </summary>
[Collection(FaultTopologyCollection.Name)]
public sealed class SteadyLoadFaultTests(FaultTopologyFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Steady = TimeSpan.FromSeconds(3);

    private SteadyLoad Load => fixture.Load;

    [Fact]
    public async Task The_cache_node_killed_then_back_fails_no_GET_the_policy_sees_it_and_the_node_is_used_again()
    {
        await fixture.EnsureLayoutAsync(Settle);
        var control = new ControlApiClient(fixture.CreateOrchestratorClient());
        var mark = Load.Now;
        await Task.Delay(Steady);
        var before = await control.NodeAsync();
        Assert.Equal("Running", before.State);
        var nodePid = NodeProcessId();

        var killed = (At: Load.Now, Utc: DateTimeOffset.UtcNow);
        ProcessTree.Kill(nodePid);

        // The policy hears of it: the keys on the node leave RedisRunning.
        await Eventually.HoldsAsync(async () => (await control.HistoryOfAsync(HotSmall)).Any(c => c.At >= killed.Utc && c.State != "RedisRunning"),
            TimeSpan.FromSeconds(30), $"the policy moves {HotSmall} off the lost node");
        var seen = Load.Now;

        // Demand goes on: the policy boots a node again, and the gateways use it.
        var after = await Eventually.ReturnsAsync(async () => await control.NodeAsync() is { State: "Running" } n && n.Runs.Count > before.Runs.Count && n.Runs[^1].Ready is not null ? n : null,
            TimeSpan.FromSeconds(150), "a new node run, ready");
        var ready = Load.Now;
        await Load.WaitForAsync(ready, a => a.Key == HotSmall && a.Outcome == SteadyLoadOutcome.Ok && a.Origin == "redis", TimeSpan.FromSeconds(30),
            $"{HotSmall} served by the new node");
        var usedAgain = Load.Now;
        await Task.Delay(Steady);

        var window = Load.Window(mark);
        var during = Load.Window(killed.At, usedAgain);
        output.WriteLine($"node {before.Endpoint} (process {nodePid}) killed at {killed.At.TotalSeconds:F1} s; policy saw it after {(seen - killed.At).TotalSeconds:F1} s; " +
                         $"new node {after.Endpoint} ready after {(ready - killed.At).TotalSeconds:F1} s; served by it again after {(usedAgain - killed.At).TotalSeconds:F1} s");
        output.WriteLine($"whole window: {window.Describe()}");
        output.WriteLine($"kill → used again: {during.Describe()}");
        Assert.NotEqual(nodePid, NodeProcessId());
        Assert.Empty(window.Failures);
        Assert.True(during.ServedBy("s3", HotSmall) + during.ServedBy("lambda", HotSmall) > 0, "between the kill and the new node another layer served the hot key");
    }

    [Fact]
    public async Task Functions_killed_mid_stream_fail_no_held_back_GET_and_abort_a_streamed_one_never_a_short_200()
    {
        await fixture.EnsureLayoutAsync(Settle);
        using var gateway = fixture.App.CreateHttpClient("gateway", "http");
        gateway.Timeout = TimeSpan.FromMinutes(2);
        var large = fixture.Bodies[Large];
        await fixture.PinAsync(Large, "lambda");
        try
        {
            await Eventually.HoldsAsync(async () =>
            {
                using var response = await gateway.GetAsync($"/objects/{Large}");
                var body = await response.Content.ReadAsByteArrayAsync();
                return FunctionFixture.Origin(response) == "lambda" && large.AsSpan().SequenceEqual(body);
            }, TimeSpan.FromSeconds(60), $"{Large} served whole by its function", interval: TimeSpan.FromMilliseconds(500));

            var mark = Load.Now;
            await Task.Delay(Steady);

            // A client that reads slowly, with a small receive buffer: the gateway has sent the headers (it held back 8 MiB,
            // then started streaming), the function is still writing when it dies.
            using var slowClient = new HttpClient(new SocketsHttpHandler
            {
                ConnectCallback = async (context, cancellationToken) =>
                {
                    var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveBufferSize = 64 * 1024 };
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                },
            })
            { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
            using var slow = await slowClient.GetAsync($"/objects/{Large}", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(System.Net.HttpStatusCode.OK, slow.StatusCode);
            Assert.Equal("lambda", FunctionFixture.Origin(slow));
            await using var body = await slow.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            var read = 0;
            while (read < 1024 * 1024)
            {
                var n = await body.ReadAsync(buffer);
                Assert.True(n > 0, "the body ended before 1 MiB");
                Assert.True(buffer.AsSpan(0, n).SequenceEqual(large.AsSpan(read, n)));
                read += n;
            }

            var functions = (await fixture.EnvironmentsAsync()).Where(e => e.State is "Busy" or "Idle").ToList();
            Assert.NotEmpty(functions);
            var killedAt = Load.Now;
            foreach (var function in functions)
            {
                ProcessTree.Kill(function.ProcessId);
            }

            // The rest of the body: it must break off, never end as if whole with bytes missing.
            var broken = await Record.ExceptionAsync(async () =>
            {
                int n;
                while ((n = await body.ReadAsync(buffer)) > 0)
                {
                    Assert.True(read + n <= large.Length && buffer.AsSpan(0, n).SequenceEqual(large.AsSpan(read, n)), $"wrong bytes at {read}");
                    read += n;
                }
            });
            output.WriteLine($"the streamed GET of {Large} ({large.Length} bytes) read {read} bytes, then: {broken?.GetType().Name}: {broken?.Message}");
            Assert.True(broken is IOException or HttpRequestException, $"the streamed body ended without an error after {read} of {large.Length} bytes: {broken}");
            Assert.True(read < large.Length);

            await Task.Delay(Steady);
            var window = Load.Window(mark);
            var inFlight = window.Attempts.Where(a => a.Key == OnFunction && a.Sent <= killedAt && a.Ended >= killedAt).ToList();
            output.WriteLine($"{functions.Count} function process(es) killed at {killedAt.TotalSeconds:F1} s; GETs of {OnFunction} in flight then: " +
                             $"{string.Join(", ", inFlight.Select(a => $"{a.Outcome} from {a.Origin}"))}");
            output.WriteLine($"whole window: {window.Describe()}");
            Assert.Empty(window.Failures);
            Assert.True(window.ServedBy("s3", OnFunction) > 0, $"{OnFunction} fell back to S3 once its function was gone");
        }
        finally
        {
            using var orchestrator = fixture.CreateOrchestratorClient();
            (await orchestrator.DeleteAsync($"/routes/{Large}")).Dispose();
            // The pinned function died: pin the key again for the tests after this one.
            await fixture.PinAsync(OnFunction, "lambda");
        }
    }

    [Fact]
    public async Task The_orchestrator_killed_and_restarted_fails_no_GET_adopts_the_node_and_function_and_rebuilds_the_routes()
    {
        await fixture.EnsureLayoutAsync(Settle);
        var control = new ControlApiClient(fixture.CreateOrchestratorClient());
        var node = await control.NodeAsync();
        Assert.Equal("Running", node.State);
        var nodePid = NodeProcessId();
        var mark = Load.Now;
        await Task.Delay(Steady);

        // The functions and their invocations just before the kill: the old orchestrator may still invoke one up to
        // then (a warm environment invoked again counts on the same process); none may be invoked after it.
        var functions = (await fixture.EnvironmentsAsync()).Where(e => e.State == "Busy").ToList();
        var invocations = functions.Sum(f => f.Invocations);
        fixture.Kill("orchestrator", spare: commandLine => commandLine.Contains("ReactiveCache.CacheNode.dll", StringComparison.Ordinal));
        var killedAt = Load.Now;
        // Meanwhile the gateways serve on with the routes they have.
        await Task.Delay(Steady);
        var down = Load.Window(killedAt);

        var restart = Stopwatch.StartNew();
        var healthyAfter = await fixture.RestartAsync("orchestrator", TimeSpan.FromSeconds(90));
        var restarted = new ControlApiClient(fixture.CreateOrchestratorClient());
        using var orchestrator = fixture.CreateOrchestratorClient();
        var reconciliation = await Eventually.ReturnsAsync(async () =>
        {
            using var response = await orchestrator.GetAsync("/reconciliation");
            return response.StatusCode == System.Net.HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : null;
        }, TimeSpan.FromSeconds(60), "the restarted orchestrator's reconciliation");

        // Routes rebuilt: both gateways hold the orchestrator's route version, with the hot keys on the node and the
        // function's key on Lambda.
        var functionsAtReconciliation = await fixture.EnvironmentsAsync();
        var lastRoutes = "";
        await Eventually.HoldsAsync(async () =>
        {
            var version = (await restarted.GatewaysAsync()).RouteVersion;
            foreach (var name in Gateways)
            {
                using var client = fixture.App.CreateHttpClient(name, "http");
                var routes = await ControlApiClient.RoutesAsync(client);
                // The function's key is restored on Lambda; the policy, which has it now (pins are not kept), may move it on to the node.
                if (routes.Version != version || routes.Routes.GetValueOrDefault(HotSmall) != "redis" || routes.Routes.GetValueOrDefault(OnFunction) is not ("lambda" or "redis"))
                {
                    lastRoutes = $"orchestrator at version {version}; {name}: {routes.Version} {string.Join(", ", routes.Routes)}";
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromSeconds(60), "both gateways at the restarted orchestrator's route version", () => $"{lastRoutes}\nreconciliation: {reconciliation}",
            interval: TimeSpan.FromMilliseconds(100));
        var rebuilt = restart.Elapsed;
        await Task.Delay(Steady);

        var value = JsonDocument.Parse(reconciliation).RootElement;
        output.WriteLine($"orchestrator killed at {killedAt.TotalSeconds:F1} s, started again {Steady.TotalSeconds:F0} s later; healthy after {healthyAfter.TotalSeconds:F1} s; " +
                         $"reconciliation {value.GetProperty("milliseconds").GetDouble():F0} ms ({value}); routes rebuilt on both gateways {rebuilt.TotalSeconds:F1} s after the start");
        output.WriteLine($"while it was down: {down.Describe()}");
        output.WriteLine($"functions busy before the kill: {string.Join(", ", functions.Select(f => $"{f.ProcessId} ({f.Invocations} invocations)"))}");
        var window = Load.Window(mark);
        output.WriteLine($"whole window: {window.Describe()}");
        output.WriteLine($"function invocations at the kill: {invocations}; environments at reconciliation: {string.Join(", ", functionsAtReconciliation.Select(f => $"{f.ProcessId} {f.State} {f.Invocations}"))}");

        // No second node: the one running was adopted, its process the same.
        Assert.Equal(node.Endpoint, value.GetProperty("adoptedNode").GetString());
        Assert.Equal(nodePid, NodeProcessId());
        Assert.True(ProcessTree.IsAlive(nodePid));
        var nodeAfter = await restarted.NodeAsync();
        Assert.Equal(("Running", node.Endpoint), (nodeAfter.State, nodeAfter.Endpoint));
        Assert.True(value.GetProperty("redisKeys").GetInt32() >= 2);

        // No second function: the functions still running dialled back and were taken over (one holds the pinned key; one
        // whose key is on the node by now is told to go), and no key got a new one while the orchestrator rebuilt.
        Assert.True(value.GetProperty("functions").GetInt32() >= 1);
        Assert.Equal(1, value.GetProperty("lambdaKeys").GetInt32());
        // The function's process lives on; no invocation was made while the orchestrator rebuilt.
        Assert.All(functions, f => Assert.True(ProcessTree.IsAlive(f.ProcessId), $"function process {f.ProcessId} gone"));
        Assert.Equal(invocations, functionsAtReconciliation.Where(f => functions.Any(b => b.ProcessId == f.ProcessId)).Sum(f => f.Invocations));
        Assert.True(down.ServedBy("redis") > 0 && down.ServedBy("lambda") > 0, "the gateways served on from the node and the function while the orchestrator was down");
        Assert.Empty(window.Failures);
    }

    [Fact]
    public async Task A_gateway_killed_and_restarted_its_clients_retries_succeed_and_functions_dial_it_again()
    {
        const string restarted = "gateway-2";
        await fixture.EnsureLayoutAsync(Settle);
        var mark = Load.Now;
        await Task.Delay(Steady);

        fixture.Kill(restarted);
        var killedAt = Load.Now;
        var took = await fixture.RestartAsync(restarted, TimeSpan.FromSeconds(90));
        var backAt = Load.Now;

        // The function tunnels into the new gateway again, and it reaches the node.
        await Load.WaitForAsync(backAt, a => a.Target == restarted && a.Key == OnFunction && a.Outcome == SteadyLoadOutcome.Ok && a.Origin == "lambda",
            TimeSpan.FromSeconds(45), $"{restarted} serves {OnFunction} through the function again");
        var redialled = Load.Now;
        await Load.WaitForAsync(backAt, a => a.Target == restarted && a.Key == HotSmall && a.Outcome == SteadyLoadOutcome.Ok && a.Origin == "redis",
            TimeSpan.FromSeconds(45), $"{restarted} serves {HotSmall} from the node again");
        await Task.Delay(Steady);

        var window = Load.Window(mark);
        output.WriteLine($"{restarted} killed at {killedAt.TotalSeconds:F1} s, healthy again after {took.TotalSeconds:F1} s; function dialled it again after {(redialled - killedAt).TotalSeconds:F1} s");
        output.WriteLine($"whole window: {window.Describe()}; {window.Retried} GETs retried, at most {window.Attempts.Max(a => a.Attempt)} attempts");
        Assert.Empty(window.FailedGets);
        Assert.DoesNotContain(window.Attempts, a => a.Outcome is SteadyLoadOutcome.WrongBody or SteadyLoadOutcome.OtherStatus);
        Assert.All(window.Failures, a => Assert.Equal(restarted, a.Target));
        Assert.True(window.Retried > 0, "no GET was retried: the kill went unnoticed");
    }

    /// <summary>The cache node's process, from the state file the orchestrator keeps for this AppHost (never another's).</summary>
    private int NodeProcessId()
    {
        var state = Path.Combine(fixture.NodeStateDirectory, "cache-node.state");
        return int.Parse(File.ReadAllText(state).Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
