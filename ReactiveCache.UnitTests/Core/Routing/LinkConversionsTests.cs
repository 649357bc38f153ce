using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Routing;
using ReactiveCache.Gateway.Objects;
using ReactiveCache.Domain;

namespace ReactiveCache.UnitTests.Core.Routing;

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
