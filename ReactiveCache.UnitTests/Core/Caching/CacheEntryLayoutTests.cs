using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Routing;
using ReactiveCache.Gateway.Objects;
using ReactiveCache.Domain;

namespace ReactiveCache.UnitTests.Core.Caching;

public sealed class CacheEntryLayoutTests
{
    [Fact]
    public void An_entry_round_trips_header_and_body()
    {
        var body = SampleObjects.All["index.html"];
        var metadata = new ObjectMetadata("index.html", body.Length, "\"abc\"", "text/html", DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123));

        var entry = ReactiveCache.Core.Caching.CacheEntryLayout.Encode(metadata, body);

        Assert.True(ReactiveCache.Core.Caching.CacheEntryLayout.TryReadHeader("index.html", entry, out var read, out var headerLength));
        Assert.Equal(metadata, read);
        Assert.Equal(body, entry[headerLength..]);
        Assert.False(ReactiveCache.Core.Caching.CacheEntryLayout.TryReadHeader("index.html", "plain value"u8, out _, out _));
        Assert.False(ReactiveCache.Core.Caching.CacheEntryLayout.TryReadHeader("index.html", entry.AsSpan(0, 10), out _, out _));
    }
}
