using ReactiveCache.Core.Caching;
using ReactiveCache.Core.Objects;
using ReactiveCache.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace ReactiveCache.IntegrationTests.Core.Caching;

/// <summary>Loading an object from the store's stream puts on a real redis-server the entry the gateway reads.</summary>
public sealed class CacheEntryStoreTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static ObjectMetadata Metadata(string key, int length) =>
        new(key, length, "\"etag-1\"", "application/octet-stream", DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    private static byte[] Body(int length) => Enumerable.Range(0, length).Select(i => (byte)(i % 253)).ToArray();

    [Fact]
    public async Task An_entry_stored_from_a_stream_holds_the_body_in_chunk_fields_and_a_replacement_leaves_none_of_the_old_ones()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var database = connection.GetDatabase();
        var body = Body(1_200_000);
        var metadata = Metadata("streamed.bin", body.Length);

        await CacheEntryLayout.StoreAsync(database, metadata, new MemoryStream(body), CancellationToken.None);

        var stored = await database.HashGetAllAsync(CacheEntryLayout.EntryKey(metadata.Key));
        Assert.Equal(6, stored.Length); // 256 KiB fields: the header and 261 000-odd body bytes, then four chunks; the header alone
        Assert.All(stored, f => Assert.True(((byte[])f.Value!).Length <= CacheEntryLayout.DefaultChunkBytes));
        var (read, readBody) = CacheEntryLayout.Decode(metadata.Key, stored)!.Value;
        Assert.Equal(metadata, read);
        Assert.Equal(body, readBody);

        // Stored again (a new version, shorter): one whole entry of the new version, none of the old version's chunks.
        var shorter = Body(300_000);
        var replaced = metadata with { Length = shorter.Length, ETag = "\"etag-2\"" };
        await CacheEntryLayout.StoreAsync(database, replaced, new MemoryStream(shorter), CancellationToken.None);
        stored = await database.HashGetAllAsync(CacheEntryLayout.EntryKey(metadata.Key));
        Assert.Equal(3, stored.Length);
        Assert.Equal(shorter, CacheEntryLayout.Decode(metadata.Key, stored)!.Value.Body);
    }

    [Theory]
    [InlineData(999, "shorter")]
    [InlineData(1001, "longer")]
    public async Task A_stream_of_another_length_than_the_metadata_stores_nothing(int actual, string word)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var database = connection.GetDatabase();
        var metadata = Metadata($"wrong-{word}.bin", 1000);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            CacheEntryLayout.StoreAsync(database, metadata, new MemoryStream(Body(actual)), CancellationToken.None));
        Assert.Contains(word, error.Message, StringComparison.Ordinal);
        Assert.False(await database.KeyExistsAsync(CacheEntryLayout.EntryKey(metadata.Key)));
    }
}
