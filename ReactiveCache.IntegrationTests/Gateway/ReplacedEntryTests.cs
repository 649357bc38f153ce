using System.Net;
using ReactiveCache.Core.Caching;
using ReactiveCache.Core.Objects;
using ReactiveCache.Domain;
using ReactiveCache.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace ReactiveCache.IntegrationTests.Gateway;

/// <summary>
/// A node entry replaced while the gateway streams it: the client must get the version whose headers it got, whole,
/// or a broken connection, never a <c>200</c> whose bytes are partly of another version. The new version has the same
/// length, so that only the version check (chunk fields named after the entry's write id, not the length of a chunk) can tell.
/// </summary>
public sealed class ReplacedEntryTests : IClassFixture<SharedGatewayServers>, IAsyncLifetime
{
    private readonly GatewayServers _servers;
    private readonly GatewayFactory _gateway;
    private readonly HttpClient _client;
    private readonly string _key = $"replaced/{Guid.NewGuid():N}.bin";

    public ReplacedEntryTests(SharedGatewayServers servers)
    {
        _servers = servers;
        // Entries in 4 KB chunks, one read ahead: a 1 MB body is 256 reads, and the test's client holds the body back after the
        // headers, so most of them are still to come when the entry is replaced.
        _gateway = GatewayFactory.StreamingInSmallChunks(servers);
        _client = _gateway.CreateClient();
    }

    public async Task InitializeAsync()
    {
        await StoreAsync(Version(1), "\"v1\"");
        _gateway.Route(_key, CacheLayer.Redis);
        await _gateway.CacheNodeConnectedAsync();
    }

    [Fact]
    public async Task An_entry_replaced_mid_stream_aborts_the_client_connection_instead_of_mixing_versions()
    {
        using var response = await _client.GetAsync($"/objects/{_key}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("redis", response.Headers.GetValues("Content-Origin").Single());
        Assert.Equal("\"v1\"", response.Headers.ETag?.ToString());

        // The body has started and waits for this client (the in-memory server holds back what it does not read).
        await Task.Delay(200);
        await StoreAsync(Version(2), "\"v2\"");

        byte[]? body = null;
        var failure = await Record.ExceptionAsync(async () => body = await response.Content.ReadAsByteArrayAsync());

        // Never a 200 whose bytes are partly of the second version: the store does not hold v1 to finish it from, so the
        // connection is aborted.
        if (failure is null)
        {
            Assert.Fail($"A 200 of {body!.Length} bytes mixed two versions: {Mixed(body)} of its 4 KB chunks are of the second.");
        }
    }

    [Fact]
    public async Task An_entry_replaced_mid_stream_is_finished_from_the_store_when_it_still_holds_that_version()
    {
        // The store of record holds version 1; the node's entry is of that version (same ETag) until it is replaced.
        const string key = "replaced/in-store.bin";
        using (var s3 = _servers.S3.CreateClient())
        {
            await S3rverFixture.PutAsync(s3, key, Version(1));
        }

        await _servers.LoadIntoRedisAsync(GatewayServers.SmallChunkBytes, key);
        _gateway.Route(key, CacheLayer.Redis);
        using var response = await _client.GetAsync($"/objects/{key}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("redis", response.Headers.GetValues("Content-Origin").Single());
        await Task.Delay(200);
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(_servers.Redis.ConnectionString))
        {
            await CacheEntryLayout.StoreAsync(redis.GetDatabase(),
                new ObjectMetadata(key, 1 << 20, "\"v2\"", "application/octet-stream", DateTimeOffset.UnixEpoch), Version(2), GatewayServers.SmallChunkBytes);
        }

        // The client never notices: every byte of version 1, none of version 2, and no aborted connection.
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(1 << 20, body.Length);
        Assert.Equal(0, Mixed(body));
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(_servers.Redis.ConnectionString))
        {
            await CacheEntryLayout.RemoveAsync(redis.GetDatabase(), key);
        }
    }

    /// <summary>1 MB, every byte the version number: a mix shows at once.</summary>
    private static byte[] Version(byte version) => Enumerable.Repeat(version, 1 << 20).ToArray();

    private static int Mixed(byte[] body) => body.Chunk(4096).Count(c => c[0] != 1);

    private async Task StoreAsync(byte[] content, string etag)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_servers.Redis.ConnectionString);
        await CacheEntryLayout.StoreAsync(redis.GetDatabase(),
            new ObjectMetadata(_key, content.Length, etag, "application/octet-stream", DateTimeOffset.UnixEpoch), content, GatewayServers.SmallChunkBytes);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_servers.Redis.ConnectionString);
        await CacheEntryLayout.RemoveAsync(redis.GetDatabase(), _key);
    }
}
