using ReactiveCache.Core.Routing;
using ReactiveCache.Gateway.CacheNode;
using ReactiveCache.Domain;

namespace ReactiveCache.Gateway.Routing;

/// <summary><c>GET /routes</c>: what this gateway serves from where, as the orchestrator last told it.</summary>
public static class RoutingEndpoints
{
    public static IEndpointRouteBuilder MapRoutingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/routes", (RouteTable routes, CacheNodeConnection node) =>
            {
                var current = routes.Current;
                var cacheNode = node.Current is { } n ? new CacheNodeView(n.NodeId, n.Endpoint, n.Connected, n.Draining) : null;
                return TypedResults.Ok(new RoutesView(current.Version,
                    current.Routes.ToDictionary(r => r.Key, r => r.Value.ToName(), StringComparer.Ordinal), cacheNode));
            })
            .WithTags("Routing")
            .WithName("GetRoutes")
            .WithSummary("This gateway's route table (version, key → layer; keys without a route go to S3) and cache node.");
        return app;
    }

    public sealed record RoutesView(ulong Version, IReadOnlyDictionary<string, string> Routes, CacheNodeView? CacheNode);

    public sealed record CacheNodeView(string NodeId, string Endpoint, bool Connected, bool Draining);
}
