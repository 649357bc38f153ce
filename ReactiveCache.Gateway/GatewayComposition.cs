using ReactiveCache.Core.Hosting;
using ReactiveCache.Core.Objects;
using ReactiveCache.Gateway.CacheNode;
using ReactiveCache.Gateway.Limits;
using ReactiveCache.Gateway.Objects;
using ReactiveCache.Gateway.Routing;
using ReactiveCache.Gateway.Tunnel;

namespace ReactiveCache.Gateway;

/// <summary>
/// The gateway's own parts, composed once: the service (Program.cs) and the benches' in-process gateway use these
/// same three methods, so a part added here is in both.
/// </summary>
public static class GatewayComposition
{
    /// <summary>Everything that serves an object: limits, the store, the orchestrator's link, the layers and the tunnel.</summary>
    public static WebApplicationBuilder AddGatewayServices(this WebApplicationBuilder builder)
    {
        builder.AddInlineSocketScheduling(); // requests run on the thread that read them: no thread-pool hop
        builder.AddGatewayLimits();          // Kestrel's limits, the request deadline, the budget for held-back bodies
        builder.AddObjectStore();            // S3 (or a folder locally): the store of record
        builder.AddOrchestratorLink();       // route table, fed over the gRPC stream; request events back
        builder.AddCacheNode();              // the Redis layer's connection, to the node the orchestrator names
        builder.AddObjectServing();          // layers, fallback chain redis → lambda → s3, stampede protection
        builder.AddLambdaTunnel();           // the Lambda layer: functions dial in, YARP forwards through their tunnels
        return builder;
    }

    /// <summary>The middleware every request passes: problems for failures, the per-request deadline.</summary>
    public static WebApplication UseGatewayMiddleware(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestTimeouts();
        return app;
    }

    /// <summary>The paths that serve objects: the functions' tunnel and <c>/objects/{key}</c>.</summary>
    public static WebApplication MapObjectServing(this WebApplication app)
    {
        app.MapLambdaTunnel();
        app.MapObjectEndpoints();
        return app;
    }
}
