using System.Diagnostics;
using ReactiveCache.Core.Http;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.Lambda.Serving;

/// <summary>
/// What the gateway reaches through the tunnel: <c>GET</c>/<c>HEAD /objects/{**key}</c> over the objects
/// the active invocation holds, with the gateway's HTTP semantics (<see cref="ObjectResponder"/>).
/// </summary>
public static class ObjectServing
{
    public static IEndpointRouteBuilder MapObjectServing(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/objects/{**key}", [HttpMethods.Get, HttpMethods.Head], ServeAsync);
        return app;
    }

    private static async Task ServeAsync(string key, HttpContext context, ObjectCatalog catalog)
    {
        catalog.Enter();
        // A child of the gateway's forwarding span (YARP sends traceparent through the tunnel).
        ActivityContext.TryParse(context.Request.Headers.TraceParent, context.Request.Headers.TraceState, isRemote: true, out var parent);
        using var activity = FunctionTelemetry.Tunnel.Start("tunnelled GET", ActivityKind.Server, Activity.Current?.Context ?? parent);
        activity?.SetTag("object.key", key);
        try
        {
            var active = catalog.Active;
            if (active is null || !active.Keys.Contains(key) || !catalog.TryGet(key, out var obj))
            {
                // Not held by this invocation (the gateway's route is stale): the gateway falls back to the next layer.
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                context.Response.Headers[TunnelProtocol.MissHeader] = "1";
                activity?.SetTag("http.response.status_code", 404);
                return;
            }

            // Thesis: every served GET extends the life by one TICK.
            active.OnServed();
            await ObjectResponder.WriteAsync(context, obj, context.RequestAborted);
            activity?.SetTag("http.response.status_code", context.Response.StatusCode);
        }
        finally
        {
            catalog.Exit();
        }
    }
}
