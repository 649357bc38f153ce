using ReactiveCache.Core.Objects;
using ReactiveCache.Gateway.Layers;
using ReactiveCache.Gateway.Limits;

namespace ReactiveCache.Gateway.Objects;

/// <summary>The client API: <c>GET</c>/<c>HEAD /objects/{**key}</c>.</summary>
public static class ObjectEndpoints
{
    public const string Pattern = "/objects/{**key}";

    public static IEndpointRouteBuilder MapObjectEndpoints(this IEndpointRouteBuilder app)
    {
        // Other methods on the same path: routing answers 405 with `Allow: GET, HEAD` (problem+json via
        // the status code pages).
        // The chain and the clock are singletons: taken once here, so that a request needs no service scope.
        var chain = app.ServiceProvider.GetRequiredService<FallbackChain>();
        var time = app.ServiceProvider.GetRequiredService<TimeProvider>();
        app.MapMethods(Pattern, [HttpMethods.Get, HttpMethods.Head], (string? key, HttpContext context) => ServeAsync(key, context, chain, time))
            .WithObjectDeadline()
            .WithName("GetObject")
            .WithSummary("Serves an object from the layer the route table names (S3 when none), falling back down redis → lambda → s3.")
            .Produces(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status206PartialContent)
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status416RangeNotSatisfiable)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        return app;
    }

    private static Task ServeAsync(string? key, HttpContext context, FallbackChain chain, TimeProvider time)
    {
        var received = time.GetUtcNow().ToUnixTimeMilliseconds();
        key ??= "";
        if (ObjectKey.Validate(key) is { } violation)
        {
            return Problems.InvalidKey(violation).ExecuteAsync(context);
        }

        GatewayLimitsRegistration.EndDeadlineWhenResponseStarts(context);
        return chain.ServeAsync(context, ObjectRequest.From(context.Request, key, received));
    }
}
