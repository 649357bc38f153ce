using ReactiveCache.Core.Caching;
using ReactiveCache.Core.Http;
using ReactiveCache.Core.Objects;
using ReactiveCache.Gateway.Layers;

namespace ReactiveCache.UnitTests.Gateway.Layers;

public sealed class EntryHeaderMemoTests
{
    private static readonly DateTimeOffset Modified = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

    [Fact]
    public void An_unchanged_header_is_parsed_once_and_a_replaced_one_again()
    {
        var memo = new EntryHeaderMemo();
        var first = FirstField(new ObjectMetadata("a.txt", 3, "\"v1\"", "text/plain", Modified), "abc"u8);

        var entry = memo.For("a.txt");
        Assert.Equal(CacheEntryLayout.EntryKey("a.txt"), entry.EntryKey);
        Assert.True(memo.TryReadHeader(ref entry, first, out var parsed, out var shape));
        Assert.Equal(ObjectResponder.LastModifiedValue(parsed), entry.LastModified);

        // The same bytes again (a later request): the same metadata, not parsed again.
        var again = memo.For("a.txt");
        Assert.True(memo.TryReadHeader(ref again, first, out var remembered, out var rememberedShape));
        Assert.Same(parsed, remembered);
        Assert.Equal(shape, rememberedShape);

        // The entry replaced (another ETag, length and date): parsed afresh, never the remembered metadata.
        var replaced = new ObjectMetadata("a.txt", 4, "\"v2\"", "text/plain", Modified.AddSeconds(5));
        var later = memo.For("a.txt");
        Assert.True(memo.TryReadHeader(ref later, FirstField(replaced, "abcd"u8), out var fresh, out _));
        Assert.Equal(replaced, fresh);
        Assert.Equal(ObjectResponder.LastModifiedValue(replaced), later.LastModified);

        // Not an entry of the layout: refused, as by the layout itself.
        var other = memo.For("a.txt");
        Assert.False(memo.TryReadHeader(ref other, "plain value"u8, out _, out _));
    }

    [Fact]
    public void Keys_sharing_a_slot_never_see_each_others_header()
    {
        var memo = new EntryHeaderMemo();
        for (var i = 0; i < 5000; i++)
        {
            var key = $"k{i}";
            var entry = memo.For(key);
            Assert.Equal(key, entry.Key);
            var bytes = FirstField(new ObjectMetadata(key, 1, $"\"{i}\"", "text/plain", Modified), "x"u8);
            Assert.True(memo.TryReadHeader(ref entry, bytes, out var metadata, out _));
            Assert.Equal(key, metadata.Key);
            Assert.Equal($"\"{i}\"", metadata.ETag);
        }
    }

    /// <summary>The first field of an entry (header and first body bytes), as the Redis layer reads it.</summary>
    private static byte[] FirstField(ObjectMetadata metadata, ReadOnlySpan<byte> body) => (byte[])CacheEntryLayout.Encode(metadata, body)[0].Value!;
}
