using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Routing;
using ReactiveCache.Gateway.Objects;

namespace ReactiveCache.Tests.Gateway;

public sealed class ObjectKeyTests
{
    [Theory]
    [InlineData("index.html")]
    [InlineData("a/b/c.txt")]
    [InlineData("ünïcode/日本.txt")]
    [InlineData("..hidden")]
    [InlineData("a.b/..c")]
    public void Valid_keys_pass(string key) => Assert.Null(ObjectKey.Validate(key));

    [Theory]
    [InlineData("", ObjectKey.RuleLength)]
    [InlineData("/a", ObjectKey.RuleEmptySegment)]
    [InlineData("a/", ObjectKey.RuleEmptySegment)]
    [InlineData("a//b", ObjectKey.RuleEmptySegment)]
    [InlineData(".", ObjectKey.RuleDotSegment)]
    [InlineData("a/../b", ObjectKey.RuleDotSegment)]
    [InlineData("a/./b", ObjectKey.RuleDotSegment)]
    [InlineData("a\nb", ObjectKey.RuleControlCharacter)]
    [InlineData("a\u007fb", ObjectKey.RuleControlCharacter)]
    public void Invalid_keys_name_the_rule(string key, string rule) => Assert.Equal(rule, ObjectKey.Validate(key)?.Rule);

    [Fact]
    public void An_unpaired_surrogate_is_not_utf8() => Assert.Equal(ObjectKey.RuleUtf8, ObjectKey.Validate("a" + (char)0xD800 + "b")?.Rule);

    [Fact]
    public void The_length_limit_counts_utf8_bytes()
    {
        Assert.Null(ObjectKey.Validate(new string('a', 1024)));
        Assert.Equal(ObjectKey.RuleLength, ObjectKey.Validate(new string('a', 1025))?.Rule);
        Assert.Null(ObjectKey.Validate(new string('é', 512)));
        Assert.Equal(ObjectKey.RuleLength, ObjectKey.Validate(new string('é', 513))?.Rule);
    }
}

public sealed class RouteTableTests
{
    [Fact]
    public void Keys_without_a_route_go_to_s3_and_snapshots_replace_the_table()
    {
        var table = new RouteTable();
        Assert.Equal(CacheLayer.S3, table.Lookup("a"));

        table.Replace(5, [KeyValuePair.Create("a", CacheLayer.Redis), KeyValuePair.Create("b", CacheLayer.Lambda)]);
        Assert.Equal(5ul, table.Version);
        Assert.Equal(CacheLayer.Redis, table.Lookup("a"));

        table.Replace(6, [KeyValuePair.Create("b", CacheLayer.Redis)]);
        Assert.Equal(CacheLayer.S3, table.Lookup("a"));
        Assert.Equal(CacheLayer.Redis, table.Lookup("b"));
    }

    [Fact]
    public void Deltas_apply_only_on_their_base_version()
    {
        var table = new RouteTable();
        table.Replace(1, [KeyValuePair.Create("a", CacheLayer.Lambda)]);
        var before = table.Current;

        Assert.False(table.TryApply(7, 8, [KeyValuePair.Create("a", CacheLayer.Redis)], []));
        Assert.Same(before, table.Current);

        Assert.True(table.TryApply(1, 2, [KeyValuePair.Create("b", CacheLayer.Redis)], ["a"]));
        Assert.Equal(2ul, table.Version);
        Assert.Equal(CacheLayer.S3, table.Lookup("a"));
        Assert.Equal(CacheLayer.Redis, table.Lookup("b"));
        // The old snapshot is untouched: readers holding it see one whole version.
        Assert.Equal(CacheLayer.Lambda, before.Lookup("a"));
    }
}

public sealed class LinkConversionsTests
{
    [Fact]
    public void A_delta_between_two_snapshots_rebuilds_the_second_from_the_first()
    {
        var from = RouteTableSnapshot.Create(3, [KeyValuePair.Create("a", CacheLayer.Lambda), KeyValuePair.Create("b", CacheLayer.Redis), KeyValuePair.Create("c", CacheLayer.Redis)]);
        var to = RouteTableSnapshot.Create(4, [KeyValuePair.Create("a", CacheLayer.Redis), KeyValuePair.Create("c", CacheLayer.Redis), KeyValuePair.Create("d", CacheLayer.Lambda)]);

        var delta = LinkConversions.DeltaBetween(from, to);

        Assert.Equal(3ul, delta.BaseVersion);
        Assert.Equal(4ul, delta.Version);
        Assert.Equal(["b"], delta.Removals);
        Assert.Equal(["a", "d"], delta.Upserts.Select(u => u.Key).Order());
        var table = new RouteTable();
        table.Replace(from.Version, from.Routes);
        Assert.True(table.TryApply(delta.BaseVersion, delta.Version, delta.Upserts.ToRoutes(), delta.Removals));
        Assert.Equal(to.Routes.OrderBy(r => r.Key), table.Current.Routes.OrderBy(r => r.Key));
    }
}

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
