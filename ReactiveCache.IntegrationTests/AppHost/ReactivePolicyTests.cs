using System.Diagnostics;
using System.Net.Sockets;
using Aspire.Hosting.Testing;
using ReactiveCache.Core.Objects;
using Xunit.Abstractions;

namespace ReactiveCache.IntegrationTests.AppHost;

/// <summary>
/// The thesis's reactive system running live on the whole AppHost (short configuration, see
/// <see cref="AppHostFixture"/>): demand walks an object from S3 to a function to the cache node, and
/// silence walks it back; the node is really booted and really stopped. The walk is the thesis's state machine, so
/// this test configures the thesis's policy; the orchestrator's default runs in <see cref="DefaultPolicyAppHostTests"/>.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class ReactivePolicyTests(AppHostFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(300);
    // Generous: a loaded 2-core machine (the whole suite runs in parallel) slows cold starts and boots.
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_burst_walks_S3_Lambda_Redis_and_silence_walks_it_back_to_S3_with_the_node_stopped()
    {
        const string key = "walk.txt";
        using var gateway = fixture.CreateGatewayClient();
        using var gateway2 = fixture.App.CreateHttpClient("gateway-2", "http");
        var control = new ControlApiClient(fixture.CreateOrchestratorClient());
        var origins = new List<string>();
        var states = new List<string> { await control.StateOfAsync(key) };
        var clock = Stopwatch.StartNew();
        TimeSpan? firstLambda = null, firstRedis = null;
        string? nodeEndpoint = null;

        // The burst: a GET every 300 ms until the cache node serves the object.
        while (origins.LastOrDefault() != "redis")
        {
            Assert.True(clock.Elapsed < Limit, $"no Redis hit within {Limit}: origins {string.Join(",", origins)}, states {string.Join(",", states)}");
            using var response = await gateway.GetAsync($"/objects/{key}");
            Assert.True(response.IsSuccessStatusCode, $"GET {key}: {(int)response.StatusCode}");
            Assert.Equal(SampleObjects.All["1KB.txt"], await response.Content.ReadAsByteArrayAsync());
            var origin = Assert.Single(response.Headers.GetValues("Content-Origin"));
            origins.Add(origin);
            firstLambda ??= origin == "lambda" ? clock.Elapsed : null;
            firstRedis ??= origin == "redis" ? clock.Elapsed : null;
            AddIfNew(states, await control.StateOfAsync(key));
            nodeEndpoint ??= (await control.NodeAsync()).Endpoint;
            if (firstLambda is null && states[^1] == "Lambda")
            {
                // The thesis counts every request in the Lambda state towards the node, served by the function or not:
                // on a loaded machine a cold start slower than the rest of the burst would go straight from S3 to the
                // node (seen once in CI: 43 S3 answers, then Redis). The burst pauses until the function serves the
                // key (or the key left the Lambda state), so the walk, not the machine's speed, is what is checked.
                var paused = Stopwatch.StartNew();
                await Eventually.HoldsAsync(async () =>
                    (await ControlApiClient.RoutesAsync(gateway)).Routes.GetValueOrDefault(key) == "lambda"
                    || await control.StateOfAsync(key) != "Lambda", Limit, "the key's function serves it", interval: Poll);
                output.WriteLine($"paused the burst {paused.ElapsedMilliseconds} ms while the function started");
            }

            await Task.Delay(Gap);
        }

        output.WriteLine($"origins: {string.Join(",", origins)}");
        output.WriteLine($"first lambda hit after {firstLambda?.TotalMilliseconds:0} ms, first redis hit after {firstRedis?.TotalMilliseconds:0} ms (requests every {Gap.TotalMilliseconds} ms)");
        var burst = await control.HistoryOfAsync(key);
        output.WriteLine($"history of the burst: {string.Join(" → ", burst.Select(c => $"{c.State} +{(c.At - burst[0].At).TotalMilliseconds:0} ms"))}");
        output.WriteLine($"costs after the burst: {await control.CostsAsync()}");

        // What the client saw: S3 first, the function next, then the node, and nothing after the node but the node.
        Assert.Equal("s3", origins[0]);
        var lambda = origins.IndexOf("lambda");
        var redis = origins.IndexOf("redis");
        Assert.True(lambda > 0 && lambda < redis, $"origins {string.Join(",", origins)}");
        Assert.All(origins.Take(lambda), o => Assert.Equal("s3", o));
        // From the function to the node no request went back to S3: at the switch, a request that finds the
        // function gone before its route moved to Redis is answered by the node.
        Assert.All(origins.Skip(lambda).Take(redis - lambda), o => Assert.Equal("lambda", o));

        // Both gateways hold the same routes: the key on Redis, at the orchestrator's route version.
        var gateways = await control.GatewaysAsync();
        Assert.Equal(["gateway", "gateway-2"], gateways.Connected);
        await Eventually.HoldsAsync(async () =>
        {
            var version = (await control.GatewaysAsync()).RouteVersion;
            foreach (var client in new[] { gateway, gateway2 })
            {
                var routes = await ControlApiClient.RoutesAsync(client);
                if (routes.Version != version || routes.Routes.GetValueOrDefault(key) != "redis")
                {
                    return false;
                }
            }

            return true;
        }, Limit, "both gateways route the key to Redis at the orchestrator's version", interval: Poll);

        // Silence: the node check sees the last requests age past the utilization window.
        await Eventually.HoldsAsync(async () =>
        {
            AddIfNew(states, await control.StateOfAsync(key));
            return states[^1] == "S3" && (await control.NodeAsync()).State == "Stopped";
        }, Limit, "the object is back on S3 and the node stopped", interval: Poll);

        // The control API's record of the object's states: the thesis's walk, every state in order. (The
        // states polled by the client above can miss a short one, e.g. RedisBootup on a running node.)
        var changes = await control.HistoryOfAsync(key);
        var history = changes.Select(c => c.State).ToList();
        output.WriteLine($"states polled: {string.Join(" → ", states)}");
        output.WriteLine($"history: {string.Join(" → ", changes.Select(c => $"{c.State} +{(c.At - changes[0].At).TotalMilliseconds:0} ms"))}");
        var run = (await control.NodeAsync()).Runs[^1];
        output.WriteLine($"node run: trigger {run.Started:O}, ready after {(run.Ready - run.Started)?.TotalMilliseconds:0} ms, stopped {run.Stopped:O}");
        Assert.Equal(["S3", "Lambda", "RedisBootup", "RedisRunning", "RedisShutdown", "S3"], history);
        Assert.Equal(states, history.Where(states.Contains).ToList());

        // The node's process is gone: its port refuses connections.
        Assert.NotNull(nodeEndpoint);
        var port = int.Parse(nodeEndpoint.Split(':')[1]);
        await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", port);
        });

        // Both gateways acked the drain before the node stopped.
        var node = await control.NodeAsync();
        var stopped = node.Runs[^1].Stopped!.Value;
        var drain = (await control.GatewaysAsync()).Drains[^1];
        Assert.Equal(["gateway", "gateway-2"], drain.Asked);
        Assert.Equal(["gateway", "gateway-2"], drain.Acks.Keys.Order());
        Assert.All(drain.Acks.Values, ack => Assert.True(ack <= stopped, $"ack {ack:O} after the stop {stopped:O}"));

        // After the walk the key is served by S3 again.
        using (var after = await gateway.GetAsync($"/objects/{key}"))
        {
            Assert.Equal("s3", Assert.Single(after.Headers.GetValues("Content-Origin")));
        }

        // The cost meter saw it all: function ms, node starts billed at the 60 s minimum, S3 GETs.
        var costs = await control.CostsAsync();
        output.WriteLine($"costs: {costs}");
        Assert.True(costs.GetProperty("functionBilledMs").GetInt64() > 0);
        Assert.True(costs.GetProperty("functionInvocations").GetInt64() >= 1);
        Assert.True(costs.GetProperty("nodeStarts").GetInt32() >= 1);
        Assert.All(costs.GetProperty("nodeBilledSecondsPerStart").EnumerateArray(), s => Assert.True(s.GetDouble() >= 60));
        Assert.True(costs.GetProperty("s3Gets").GetInt64() > 0);
        Assert.True(costs.GetProperty("total").GetProperty("total").GetDecimal() > 0);
    }

    private static void AddIfNew(List<string> states, string state)
    {
        if (states[^1] != state)
        {
            states.Add(state);
        }
    }
}
