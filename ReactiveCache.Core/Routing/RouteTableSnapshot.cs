using ReactiveCache.Domain;

namespace ReactiveCache.Core.Routing;

/// <summary>One immutable version of the route table: key → layer; keys without an entry go to S3.</summary>
public sealed class RouteTableSnapshot
{
    private readonly Dictionary<string, CacheLayer> _routes;

    public static RouteTableSnapshot Empty { get; } = new(0, new Dictionary<string, CacheLayer>(StringComparer.Ordinal));

    private RouteTableSnapshot(ulong version, Dictionary<string, CacheLayer> routes)
    {
        Version = version;
        _routes = routes;
    }

    public ulong Version { get; }

    public int Count => _routes.Count;

    public IReadOnlyDictionary<string, CacheLayer> Routes => _routes;

    /// <summary>The layer that serves <paramref name="key"/>: its entry, or S3 when it has none.</summary>
    public CacheLayer Lookup(string key) => _routes.TryGetValue(key, out var layer) ? layer : CacheLayer.S3;

    /// <summary>A table holding exactly <paramref name="routes"/> (S3 entries are dropped: no entry means S3).</summary>
    public static RouteTableSnapshot Create(ulong version, IEnumerable<KeyValuePair<string, CacheLayer>> routes)
    {
        var table = new Dictionary<string, CacheLayer>(StringComparer.Ordinal);
        foreach (var (key, layer) in routes)
        {
            Set(table, key, layer);
        }

        return new RouteTableSnapshot(version, table);
    }

    /// <summary>This table with <paramref name="upserts"/> set and <paramref name="removals"/> removed, as <paramref name="version"/>.</summary>
    public RouteTableSnapshot With(ulong version, IEnumerable<KeyValuePair<string, CacheLayer>> upserts, IEnumerable<string> removals)
    {
        var table = new Dictionary<string, CacheLayer>(_routes, StringComparer.Ordinal);
        foreach (var key in removals)
        {
            table.Remove(key);
        }

        foreach (var (key, layer) in upserts)
        {
            Set(table, key, layer);
        }

        return new RouteTableSnapshot(version, table);
    }

    private static void Set(Dictionary<string, CacheLayer> table, string key, CacheLayer layer)
    {
        if (layer == CacheLayer.S3)
        {
            table.Remove(key);
        }
        else
        {
            table[key] = layer;
        }
    }
}
