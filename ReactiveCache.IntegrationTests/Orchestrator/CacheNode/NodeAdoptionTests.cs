using Microsoft.Extensions.Logging.Abstractions;
using ReactiveCache.Core.Caching;
using ReactiveCache.Core.Objects;
using ReactiveCache.IntegrationTests.Infrastructure;
using ReactiveCache.Orchestrator.CacheNode;
using StackExchange.Redis;

namespace ReactiveCache.IntegrationTests.Orchestrator.CacheNode;

/// <summary>
/// A restarted orchestrator adopting the node it finds running (a real redis-server of its own, since adoption deletes
/// entries): it keeps only the entries a gateway still routes to the node (every entry when no gateway reported) and that
/// are still the store's version.
/// </summary>
public sealed class NodeAdoptionTests(OwnRedisServerFixture redis) : IClassFixture<OwnRedisServerFixture>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("adopt-store-").FullName;

    [Fact]
    public async Task An_adopted_node_keeps_the_routed_current_entries_and_deletes_the_rest()
    {
        var endpoint = await LoadedNodeAsync(("routed.txt", "routed, unchanged"), ("unrouted.txt", "no gateway routes it to the node"),
            ("changed.txt", "version 1"));

        // Replaced in the store while the orchestrator was down: the node's copy is stale.
        await File.WriteAllTextAsync(Path.Combine(_root, "changed.txt"), "version 2, longer than the first");

        await using var after = Loader();
        var kept = await after.AdoptAsync(endpoint, ["routed.txt", "changed.txt"], CancellationToken.None);

        Assert.Equal(["routed.txt"], kept);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var database = connection.GetDatabase();
        Assert.True(await database.KeyExistsAsync(CacheEntryLayout.EntryKey("routed.txt")));
        Assert.False(await database.KeyExistsAsync(CacheEntryLayout.EntryKey("unrouted.txt")));
        Assert.False(await database.KeyExistsAsync(CacheEntryLayout.EntryKey("changed.txt")));
    }

    [Fact]
    public async Task With_no_gateway_report_an_adopted_node_keeps_every_current_entry_and_deletes_the_stale_ones()
    {
        var endpoint = await LoadedNodeAsync(("one.txt", "unchanged"), ("two.txt", "unchanged too"), ("stale.txt", "version 1"));
        await File.WriteAllTextAsync(Path.Combine(_root, "stale.txt"), "version 2, longer than the first");

        // No gateway reported within the window: the node's own current entries are what is there.
        await using var after = Loader();
        var kept = await after.AdoptAsync(endpoint, keep: null, CancellationToken.None);

        Assert.Equal(["one.txt", "two.txt"], kept.Order(StringComparer.Ordinal));
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        Assert.False(await connection.GetDatabase().KeyExistsAsync(CacheEntryLayout.EntryKey("stale.txt")));
    }

    [Fact]
    public async Task An_entry_of_the_first_layout_left_on_an_adopted_node_is_deleted_not_served_or_kept()
    {
        var endpoint = await LoadedNodeAsync(("current.txt", "a hash entry"));
        await File.WriteAllTextAsync(Path.Combine(_root, "old-layout.txt"), "a string entry");
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var database = connection.GetDatabase();
        // One string per object, as an orchestrator before the hash layout stored it: a read of a field is WRONGTYPE.
        await database.StringSetAsync(CacheEntryLayout.EntryKey("old-layout.txt"), "RC\u0001\u0000...");
        Assert.Null(await CacheEntryLayout.ReadMetadataAsync(database, "old-layout.txt"));

        await using var after = Loader();
        var kept = await after.AdoptAsync(endpoint, keep: null, CancellationToken.None);

        Assert.Equal(["current.txt"], kept);
        Assert.False(await database.KeyExistsAsync(CacheEntryLayout.EntryKey("old-layout.txt")));
    }

    [Fact]
    public async Task A_copy_older_than_the_max_age_is_revalidated_kept_when_unchanged_and_replaced_when_changed()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        await File.WriteAllTextAsync(Path.Combine(_root, "kept.txt"), "the same all along");
        await File.WriteAllTextAsync(Path.Combine(_root, "replaced.txt"), "version 1");
        var endpoint = new CacheNodeEndpoint("127.0.0.1", redis.Server.Port);
        await using var loader = Loader(time);
        Assert.True(await loader.LoadAsync(endpoint, "kept.txt", CancellationToken.None));
        Assert.True(await loader.LoadAsync(endpoint, "replaced.txt", CancellationToken.None));
        Assert.Empty(loader.DueForRevalidation(time.GetUtcNow()));

        await File.WriteAllTextAsync(Path.Combine(_root, "replaced.txt"), "version 2!");
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(["kept.txt", "replaced.txt"], loader.DueForRevalidation(time.GetUtcNow()).Order());

        Assert.Equal(ReadStatus.NotModified, await loader.RevalidateAsync(endpoint, "kept.txt", CancellationToken.None));
        Assert.Equal(ReadStatus.Found, await loader.RevalidateAsync(endpoint, "replaced.txt", CancellationToken.None));
        Assert.Empty(loader.DueForRevalidation(time.GetUtcNow()));
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var (metadata, body) = (await CacheEntryLayout.ReadAsync(connection.GetDatabase(), "replaced.txt"))!.Value;
        Assert.Equal("version 2!", System.Text.Encoding.UTF8.GetString(body));
        Assert.Equal((await new FolderObjectStore(_root).GetMetadataAsync("replaced.txt"))!.ETag, metadata.ETag);

        // Evicted meanwhile: a revalidation does not bring it back.
        await loader.EvictAsync(endpoint, "kept.txt");
        Assert.Equal(ReadStatus.NotModified, await loader.RevalidateAsync(endpoint, "kept.txt", CancellationToken.None));
        Assert.False(await connection.GetDatabase().KeyExistsAsync(CacheEntryLayout.EntryKey("kept.txt")));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Writes each object to the store and loads it onto the node, by an earlier orchestrator's loader.</summary>
    private async Task<CacheNodeEndpoint> LoadedNodeAsync(params (string Key, string Content)[] objects)
    {
        var endpoint = new CacheNodeEndpoint("127.0.0.1", redis.Server.Port);
        await using var before = Loader();
        foreach (var (key, content) in objects)
        {
            await File.WriteAllTextAsync(Path.Combine(_root, key), content);
            Assert.True(await before.LoadAsync(endpoint, key, CancellationToken.None));
        }

        return endpoint;
    }

    private NodeLoader Loader(TimeProvider? time = null) => new(new FolderObjectStore(_root),
        Microsoft.Extensions.Options.Options.Create(new CacheNodeOptions { Password = RedisServer.WriterPassword }), NullLogger<NodeLoader>.Instance, time);
}
