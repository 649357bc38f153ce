using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Routing;
using ReactiveCache.Gateway.Objects;
using ReactiveCache.Domain;

namespace ReactiveCache.UnitTests.Core.Routing;

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
