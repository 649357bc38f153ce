using System.Net;
using ReactiveCache.Core.Objects;
using ReactiveCache.Domain;
using ReactiveCache.Gateway.CacheNode;
using StackExchange.Redis;

namespace ReactiveCache.IntegrationTests.Gateway;

/// <summary>
/// A large object streamed from the cache node: once the response has started there is no falling back, so a
/// node that answers the rest slowly (as one does under CPU load, every response's chunks queued on one
/// connection) must make the body late, never short. The node is the class's own redis-server: the test pauses it.
/// </summary>
public sealed class RedisStreamingTests : IClassFixture<KillableGatewayServers>, IAsyncLifetime
{
    private const string Key = "1MB.txt";

    private readonly KillableGatewayServers _servers;
    private readonly GatewayFactory _gateway;
    private readonly HttpClient _client;

    public RedisStreamingTests(KillableGatewayServers servers)
    {
        _servers = servers;
        // Small chunks (stored so), one read ahead: the body is 256 reads one after the other.
        _gateway = new GatewayFactory(servers.S3, cacheNodeEndpoint: servers.RedisEndpoint, settings: new Dictionary<string, string?>
        {
            ["CacheNode:ReadAheadChunks"] = "1",
        });
        _client = _gateway.CreateClient();
    }

    public async Task InitializeAsync()
    {
        await _servers.EnsureRedisAsync();
        await _servers.LoadIntoRedisAsync(GatewayServers.SmallChunkBytes, Key);
        _gateway.Route(Key, CacheLayer.Redis);
        await Eventually.HoldsAsync(() => _gateway.Services.GetService(typeof(CacheNodeConnection)) is CacheNodeConnection { Current.Connected: true },
            TimeSpan.FromSeconds(10), "cache node connected");
    }

    [Fact]
    public async Task A_node_that_stalls_longer_than_the_first_byte_timeout_mid_body_delays_the_body_but_never_cuts_it_short()
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync(_servers.Redis.ConnectionString + ",allowAdmin=true");

        using var response = await _client.GetAsync($"/objects/{Key}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("redis", response.Headers.GetValues("Content-Origin").Single());

        // The body has started and most of its 256 reads are still to come: the node stops answering for
        // five times the first-byte timeout (500 ms in GatewayFactory).
        await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", 2_500);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(SampleObjects.All[Key], body);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
    }
}
