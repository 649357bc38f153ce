using Microsoft.Extensions.Time.Testing;
using ReactiveCache.Domain.Policy;

namespace ReactiveCache.UnitTests.Domain.Policy;

public sealed class BoundedKeyMapTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private BoundedKeyMap<Item> Map(int capacity = 100, int idleSeconds = 60) =>
        new(new BoundedKeyMapSettings(capacity, TimeSpan.FromSeconds(idleSeconds)), i => !i.Live, _time);

    [Fact]
    public void Past_the_capacity_the_least_recently_used_at_rest_are_forgotten()
    {
        var map = Map(capacity: 3);
        map.GetOrAdd("a", _ => new Item());
        map.GetOrAdd("b", _ => new Item());
        map.GetOrAdd("c", _ => new Item());
        map.GetOrAdd("a", _ => new Item()); // used again: "b" is now the least recent

        map.GetOrAdd("d", _ => new Item());

        Assert.Equal(3, map.Count);
        Assert.Equal(["a", "c", "d"], map.Keys.Order());
        Assert.Equal(1, map.Forgotten);
    }

    [Fact]
    public void An_entry_at_rest_and_idle_is_forgotten_when_a_new_key_comes()
    {
        var map = Map(idleSeconds: 60);
        map.GetOrAdd("old", _ => new Item());
        _time.Advance(TimeSpan.FromSeconds(61));

        map.GetOrAdd("new", _ => new Item());

        Assert.False(map.TryGetValue("old", out _));
        Assert.True(map.TryGetValue("new", out _));
    }

    [Fact]
    public void A_live_entry_is_never_forgotten_however_old_or_full()
    {
        var map = Map(capacity: 2, idleSeconds: 1);
        map.GetOrAdd("live", _ => new Item { Live = true });
        _time.Advance(TimeSpan.FromMinutes(10));

        for (var i = 0; i < 1000; i++)
        {
            map.GetOrAdd($"k{i}", _ => new Item());
        }

        Assert.True(map.TryGetValue("live", out _));
        Assert.InRange(map.Count, 2, 3);
    }

    [Fact]
    public void A_flood_of_distinct_keys_leaves_at_most_the_capacity()
    {
        var map = Map(capacity: 1000, idleSeconds: 3600);

        for (var i = 0; i < 100_000; i++)
        {
            map.GetOrAdd($"key-{i}", _ => new Item());
        }

        Assert.Equal(1000, map.Count);
        Assert.Equal(99_000, map.Forgotten);
    }

    private sealed class Item
    {
        public bool Live { get; init; }
    }
}
