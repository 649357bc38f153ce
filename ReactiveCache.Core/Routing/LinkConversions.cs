using ReactiveCache.Core.Link;
using ReactiveCache.Domain;

namespace ReactiveCache.Core.Routing;

/// <summary>Between the wire contract's <see cref="Layer"/> and <see cref="CacheLayer"/>, and route messages.</summary>
public static class LinkConversions
{
    public static Layer ToWire(this CacheLayer layer) => layer switch
    {
        CacheLayer.S3 => Layer.S3,
        CacheLayer.Lambda => Layer.Lambda,
        CacheLayer.Redis => Layer.Redis,
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer, null),
    };

    /// <summary>The layer a wire value names; unknown or unspecified values mean S3 (the safe layer).</summary>
    public static CacheLayer ToCacheLayer(this Layer layer) => layer switch
    {
        Layer.Lambda => CacheLayer.Lambda,
        Layer.Redis => CacheLayer.Redis,
        _ => CacheLayer.S3,
    };

    public static IEnumerable<KeyValuePair<string, CacheLayer>> ToRoutes(this IEnumerable<Route> routes) =>
        routes.Select(r => KeyValuePair.Create(r.Key, r.Layer.ToCacheLayer()));

    public static Route ToWire(this KeyValuePair<string, CacheLayer> route) => new() { Key = route.Key, Layer = route.Value.ToWire() };

    /// <summary>The snapshot message of a table (what an orchestrator sends on connect).</summary>
    public static RouteSnapshot ToWire(this RouteTableSnapshot snapshot)
    {
        var message = new RouteSnapshot { Version = snapshot.Version };
        message.Routes.AddRange(snapshot.Routes.Select(ToWire));
        return message;
    }

    /// <summary>
    /// The delta that turns <paramref name="from"/> into <paramref name="to"/> (what an orchestrator that keeps
    /// its own <see cref="RouteTable"/> sends after each change): routes added or changed, routes removed.
    /// </summary>
    public static RouteDelta DeltaBetween(RouteTableSnapshot from, RouteTableSnapshot to)
    {
        var delta = new RouteDelta { BaseVersion = from.Version, Version = to.Version };
        foreach (var (key, layer) in to.Routes)
        {
            if (!from.Routes.TryGetValue(key, out var before) || before != layer)
            {
                delta.Upserts.Add(new Route { Key = key, Layer = layer.ToWire() });
            }
        }

        foreach (var key in from.Routes.Keys)
        {
            if (!to.Routes.ContainsKey(key))
            {
                delta.Removals.Add(key);
            }
        }

        return delta;
    }
}
