using System.Net;
using ReactiveCache.Core.Link;
using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Routing;
using ReactiveCache.Gateway.CacheNode;
using ReactiveCache.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using ReactiveCache.Domain;

namespace ReactiveCache.IntegrationTests.Gateway;

/// <summary>
/// The gateway driven by a test orchestrator over the real gRPC contract, with real redis-server and s3rver:
/// layers, route switches, node loss, stream loss, drains and request events.
/// </summary>
public sealed class OrchestratorLinkTests : IClassFixture<KillableGatewayServers>, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private readonly KillableGatewayServers _servers;
    private readonly FakeLambdaLayer _lambda = new();
    private TestOrchestratorHost _orchestrator = null!;
    private GatewayFactory _gateway = null!;
    private HttpClient _client = null!;

    public OrchestratorLinkTests(KillableGatewayServers servers)
    {
        _servers = servers;
    }

    private TestOrchestrator Orchestrator => _orchestrator.Orchestrator;

    public async Task InitializeAsync()
    {
        await _servers.EnsureRedisAsync();
        await _servers.LoadIntoRedisAsync("1KB.txt", "100B.txt", "index.html");
        _lambda.Hold(await _servers.MetadataAsync("1KB.txt"), SampleObjects.All["1KB.txt"]);
        _orchestrator = await TestOrchestratorHost.StartAsync();
        Orchestrator.SetNode("node-1", _servers.RedisEndpoint);
        _gateway = new GatewayFactory(_servers.S3, orchestratorAddress: _orchestrator.Address, lambda: _lambda);
        _client = _gateway.CreateClient();
        await Eventually.HoldsAsync(() => _gateway.Link.IsConnected, Wait, "the gateway links to the orchestrator");
        await Eventually.HoldsAsync(() => NodeConnected(), Wait, "the cache node the orchestrator named is connected");
    }

    [Fact]
    public async Task The_gateway_says_hello_with_its_id()
    {
        var hello = Assert.Single(Orchestrator.Hellos);
        Assert.Equal("test-gateway", hello.GatewayId);
        Assert.False(string.IsNullOrEmpty(hello.InstanceId));
    }

    [Fact]
    public async Task Each_layer_serves_with_its_content_origin_and_a_route_switch_takes_effect_on_the_next_request()
    {
        const string key = "1KB.txt";
        Assert.Equal("s3", await OriginOfGetAsync(key));

        await SwitchAsync(key, CacheLayer.Lambda);
        Assert.Equal("lambda", await OriginOfGetAsync(key));

        await SwitchAsync(key, CacheLayer.Redis);
        Assert.Equal("redis", await OriginOfGetAsync(key));
        Assert.Equal("redis", await OriginOfGetAsync(key));

        await SwitchAsync(key, CacheLayer.S3);
        Assert.Equal("s3", await OriginOfGetAsync(key));
    }

    [Fact]
    public async Task Request_events_reach_the_orchestrator_with_key_time_and_layer()
    {
        await SwitchAsync("100B.txt", CacheLayer.Redis);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal("redis", await OriginOfGetAsync("100B.txt"));
        Assert.Equal("s3", await OriginOfGetAsync("index.html"));

        await Eventually.HoldsAsync(() => Orchestrator.Events.Count(e => e.Key is "100B.txt" or "index.html") >= 2, Wait, "two events reported");
        var redisEvent = Orchestrator.Events.Last(e => e.Key == "100B.txt");
        Assert.Equal(Layer.Redis, redisEvent.ServedBy);
        Assert.Equal(200, redisEvent.StatusCode);
        Assert.InRange(redisEvent.ReceivedUnixMs, before - 1000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal(Layer.S3, Orchestrator.Events.Last(e => e.Key == "index.html").ServedBy);
    }

    [Fact]
    public async Task Redis_killed_mid_load_falls_back_to_s3_with_zero_client_errors()
    {
        const string key = "100B.txt";
        await SwitchAsync(key, CacheLayer.Redis);
        var expected = SampleObjects.All[key];
        var origins = new System.Collections.Concurrent.ConcurrentBag<string>();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();

        async Task LoadAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await _client.GetAsync($"/objects/{key}");
                    var body = await response.Content.ReadAsByteArrayAsync();
                    if (response.StatusCode != HttpStatusCode.OK || !body.AsSpan().SequenceEqual(expected))
                    {
                        failures.Add($"{(int)response.StatusCode} with {body.Length} bytes");
                    }
                    else
                    {
                        origins.Add(response.Headers.GetValues("Content-Origin").Single());
                    }
                }
                catch (Exception e)
                {
                    failures.Add(e.GetType().Name + ": " + e.Message);
                }
            }
        }

        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(LoadAsync)).ToArray();
        await Eventually.HoldsAsync(() => origins.Count(o => o == "redis") >= 20, Wait, "requests served by Redis before the kill");

        await _servers.StopRedisAsync();
        var afterKill = origins.Count;
        await Eventually.HoldsAsync(() => origins.Count >= afterKill + 50, Wait, "requests answered after the kill");
        await stop.CancelAsync();
        await Task.WhenAll(load).WaitAsync(Wait);

        Assert.Empty(failures);
        Assert.Contains("redis", origins);
        Assert.Contains("s3", origins);
        Assert.Equal("s3", await OriginOfGetAsync(key));
    }

    [Fact]
    public async Task A_dropped_stream_keeps_serving_and_the_gateway_reconnects_with_a_fresh_snapshot()
    {
        await SwitchAsync("100B.txt", CacheLayer.Redis);
        Assert.Equal(1, _gateway.Link.Sessions);

        Orchestrator.DropStreams();
        // Serving goes on while the link is down, with the routes the gateway had.
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("redis", await OriginOfGetAsync("100B.txt"));
        }

        await Eventually.HoldsAsync(() => _gateway.Link.Sessions >= 2 && _gateway.Link.IsConnected, Wait, "the gateway reconnects");
        Assert.True(Orchestrator.Hellos.Count >= 2);

        // The new session works: a route change made now reaches the gateway.
        await SwitchAsync("100B.txt", CacheLayer.S3);
        Assert.Equal("s3", await OriginOfGetAsync("100B.txt"));
    }

    [Fact]
    public async Task The_gateway_acks_each_route_version_and_reconnecting_reports_its_routes_functions_and_node()
    {
        var version = Orchestrator.SetRoutes(("100B.txt", CacheLayer.Redis), ("1KB.txt", CacheLayer.Lambda));
        await Eventually.HoldsAsync(() => Orchestrator.RouteAcks.Contains(version), Wait, "the gateway acked the route version it applied",
            () => string.Join(", ", Orchestrator.RouteAcks));

        // A restarted orchestrator: the gateway's next Hello says what it holds, for the new one to rebuild from.
        Orchestrator.DropStreams();
        await Eventually.HoldsAsync(() => Orchestrator.Hellos.Count >= 2 && _gateway.Link.IsConnected, Wait, "the gateway reconnects");
        var hello = Orchestrator.Hellos.Last();
        Assert.Equal(version, hello.RouteVersion);
        Assert.Equal(
            [("100B.txt", CacheLayer.Redis), ("1KB.txt", CacheLayer.Lambda)],
            hello.Routes.Select(r => (r.Key, r.Layer.ToCacheLayer())).OrderBy(r => r.Key, StringComparer.Ordinal));
        var function = Assert.Single(hello.Functions);
        Assert.Contains("1KB.txt", function.Keys);
        Assert.Equal("node-1", hello.CacheNode.NodeId);
        Assert.Equal(_servers.RedisEndpoint, hello.CacheNode.Endpoint);
    }

    [Fact]
    public async Task A_version_that_moves_a_key_to_a_node_still_connecting_is_acked_once_the_node_answers()
    {
        // The orchestrator shuts a key's function down once every gateway has acked the version that moves the key to the
        // node. A node slow to answer its first connection (here a proxy that holds every byte until opened): acked at
        // once, the next read would find neither the node nor the function and go to S3.
        const string key = "1KB.txt";
        await SwitchAsync(key, CacheLayer.Lambda);
        await using var slowNode = new GatedTcpProxy(_servers.RedisEndpoint);
        Orchestrator.SetNode("node-2", slowNode.Endpoint);
        var version = Orchestrator.SetRoutes((key, CacheLayer.Redis));
        await Eventually.HoldsAsync(() => _gateway.Routes.Version >= version && slowNode.Accepted > 0, Wait, $"route version {version} applied, node dialled");

        await Task.Delay(300);
        Assert.DoesNotContain(version, Orchestrator.RouteAcks);
        Assert.False(NodeConnected());

        slowNode.Open();
        await Eventually.HoldsAsync(() => Orchestrator.RouteAcks.Contains(version), Wait, "the gateway acked the version once the node answered",
            () => string.Join(", ", Orchestrator.RouteAcks));
        Assert.True(NodeConnected());
        Assert.Equal("redis", await OriginOfGetAsync(key));
    }

    [Fact]
    public async Task A_drain_stops_redis_reads_and_is_acknowledged()
    {
        await SwitchAsync("100B.txt", CacheLayer.Redis);
        Assert.Equal("redis", await OriginOfGetAsync("100B.txt"));

        Orchestrator.RequestDrain("drain-1", "node-1");
        using var timeout = new CancellationTokenSource(Wait);
        var ack = await Orchestrator.DrainAcks.Reader.ReadAsync(timeout.Token);

        Assert.Equal("drain-1", ack.DrainId);
        Assert.Equal("node-1", ack.NodeId);
        Assert.Equal("s3", await OriginOfGetAsync("100B.txt"));

        // Naming the node again puts it back in use.
        Orchestrator.SetNode("node-1", _servers.RedisEndpoint);
        await Eventually.HoldsAsync(() => NodeConnected(), Wait, "the node is in use again");
        Assert.Equal("redis", await OriginOfGetAsync("100B.txt"));
    }

    [Fact]
    public async Task A_delta_that_does_not_fit_makes_the_gateway_resynchronise_from_a_snapshot()
    {
        var version = Orchestrator.SetRoutes(("index.html", CacheLayer.Redis));
        await Eventually.HoldsAsync(() => _gateway.Routes.Version == version, Wait, "the delta applied");

        // A delta on a version the gateway does not hold (one was lost): it must not be applied.
        Orchestrator.SendRaw(new OrchestratorMessage
        {
            Delta = new RouteDelta { BaseVersion = version + 5, Version = version + 6, Upserts = { new Route { Key = "index.html", Layer = Layer.Lambda } } },
        });

        await Eventually.HoldsAsync(() => _gateway.Link.Sessions >= 2 && _gateway.Link.IsConnected, Wait, "the gateway reconnects");
        Assert.Equal(version, _gateway.Routes.Version);
        Assert.Equal(CacheLayer.Redis, _gateway.Routes.Lookup("index.html"));
        Assert.Equal("redis", await OriginOfGetAsync("index.html"));
    }

    [Fact]
    public async Task Each_request_has_one_span_naming_key_layer_and_fallbacks()
    {
        var spans = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == ReactiveCache.Gateway.Telemetry.GatewayTelemetry.Name,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        // Routed to Redis but not on the node: falls back to S3.
        await SwitchAsync("span/missing-on-node.txt", CacheLayer.Redis);

        using (await _client.GetAsync("/objects/span/missing-on-node.txt"))
        {
        }

        var span = Assert.Single(spans, s => (string?)s.GetTagItem("reactivecache.key") == "span/missing-on-node.txt");
        Assert.Equal("redis", span.GetTagItem("reactivecache.route"));
        Assert.Equal("s3", span.GetTagItem("reactivecache.layer"));
        Assert.Equal("redis:miss", span.GetTagItem("reactivecache.fallbacks"));
        Assert.Equal(1, span.GetTagItem("reactivecache.fallback_count"));
    }

    private bool NodeConnected() =>
        _gateway.Services.GetRequiredService<CacheNodeConnection>().Current is { Connected: true, Draining: false };

    private async Task SwitchAsync(string key, CacheLayer layer)
    {
        var version = Orchestrator.SetRoutes((key, layer));
        await Eventually.HoldsAsync(() => _gateway.Routes.Version >= version, Wait, $"route version {version} applied");
    }

    private async Task<string> OriginOfGetAsync(string key)
    {
        using var response = await _client.GetAsync($"/objects/{key}");
        Assert.True(response.IsSuccessStatusCode, $"GET {key} answered {(int)response.StatusCode}");
        Assert.Equal(SampleObjects.All[key], await response.Content.ReadAsByteArrayAsync());
        return response.Headers.GetValues("Content-Origin").Single();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
        await _orchestrator.DisposeAsync();
    }
}
