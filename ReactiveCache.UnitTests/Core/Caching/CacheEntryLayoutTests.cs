using ReactiveCache.Core.Caching;
using ReactiveCache.Core.Objects;
using StackExchange.Redis;

namespace ReactiveCache.UnitTests.Core.Caching;

public sealed class CacheEntryLayoutTests
{
    private static readonly DateTimeOffset Modified = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

    [Fact]
    public void An_entry_round_trips_header_and_body()
    {
        var body = SampleObjects.All["index.html"];
        var metadata = new ObjectMetadata("index.html", body.Length, "\"abc\"", "text/html", Modified);

        var fields = CacheEntryLayout.Encode(metadata, body);

        // One chunk field (header and body) and the header field.
        Assert.Equal(2, fields.Length);
        var first = fields[0];
        Assert.Equal(CacheEntryLayout.FirstField, first.Name);
        var bytes = (byte[])first.Value!;
        Assert.True(CacheEntryLayout.TryReadHeader("index.html", bytes, out var read, out var shape));
        Assert.Equal(metadata, read);
        Assert.Equal(body, bytes[shape.HeaderLength..]);
        Assert.Equal(CacheEntryLayout.DefaultChunkBytes, shape.ChunkBytes);
        Assert.Equal(CacheEntryLayout.HeaderField, fields[1].Name);
        Assert.Equal(bytes[..shape.HeaderLength], (byte[])fields[1].Value!);
        var decoded = CacheEntryLayout.Decode("index.html", fields)!.Value;
        Assert.Equal(metadata, decoded.Metadata);
        Assert.Equal(body, decoded.Body);
        Assert.False(CacheEntryLayout.TryReadHeader("index.html", "plain value"u8, out _, out _));
        Assert.False(CacheEntryLayout.TryReadHeader("index.html", bytes.AsSpan(0, 10), out _, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2048 - 1)]
    [InlineData(5000)]
    [InlineData(20_000)]
    public void A_body_is_cut_into_fields_of_at_most_the_chunk_size_that_the_shape_locates(int length)
    {
        var body = Enumerable.Range(0, length).Select(i => (byte)(i % 251)).ToArray();
        var metadata = new ObjectMetadata("a.bin", length, "\"v\"", "application/octet-stream", Modified);

        var fields = CacheEntryLayout.Encode(metadata, body, chunkBytes: 2048);

        Assert.True(CacheEntryLayout.TryReadHeader("a.bin", (byte[])fields[0].Value!, out _, out var shape));
        Assert.Equal(shape.ChunkCount(length) + 1, fields.Length); // the chunks, then the header alone
        Assert.Equal(CacheEntryLayout.HeaderField, fields[^1].Name);
        Assert.All(fields, f => Assert.True(((byte[])f.Value!).Length <= 2048));
        for (int n = 0; n < fields.Length - 1; n++)
        {
            Assert.Equal(shape.ChunkField(n), fields[n].Name);
            Assert.Equal(shape.FieldLength(n, length), ((byte[])fields[n].Value!).Length);
        }

        // Every body offset is found in the chunk that holds it, at the right place.
        for (long offset = 0; offset < length; offset += 97)
        {
            var n = shape.ChunkOf(offset);
            var field = (byte[])fields[n].Value!;
            Assert.Equal(body[offset], field[shape.BodyOffsetInField(n) + (int)(offset - shape.ChunkStart(n))]);
        }

        Assert.Equal(body, CacheEntryLayout.Decode("a.bin", fields)!.Value.Body);
    }

    [Fact]
    public void Every_store_draws_a_new_write_id_so_chunk_fields_of_two_versions_never_share_a_name()
    {
        var body = new byte[10_000];
        var metadata = new ObjectMetadata("a.bin", body.Length, "\"v\"", "application/octet-stream", Modified);

        var one = CacheEntryLayout.Encode(metadata, body, chunkBytes: 2048);
        var two = CacheEntryLayout.Encode(metadata, body, chunkBytes: 2048);

        Assert.Equal(one[0].Name, two[0].Name); // the first field is always "0": it names the version itself
        var chunksOf = (HashEntry[] fields) => fields[1..^1].Select(f => f.Name);
        Assert.Empty(chunksOf(one).Intersect(chunksOf(two)));
        // A chunk of another version does not complete an entry, nor does another version's header field.
        Assert.Null(CacheEntryLayout.Decode("a.bin", [one[0], .. two[1..]]));
        Assert.Null(CacheEntryLayout.Decode("a.bin", [.. one[..^1], two[^1]]));
        Assert.NotNull(CacheEntryLayout.Decode("a.bin", one));
    }

    [Fact]
    public void A_chunk_size_too_small_for_a_header_is_refused()
    {
        var metadata = new ObjectMetadata("a.bin", 1, "\"v\"", "application/octet-stream", Modified);
        Assert.Throws<ArgumentOutOfRangeException>(() => CacheEntryLayout.Encode(metadata, "x"u8, chunkBytes: CacheEntryLayout.MinChunkBytes - 1));
    }
}
