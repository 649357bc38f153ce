using ReactiveCache.Gateway.Layers;

namespace ReactiveCache.Gateway.Tunnel;

/// <summary>
/// With <see cref="TunnelOptions.ServeObjectsThroughLambda"/> (no orchestrator routing, functions invoked
/// by hand): a GET/HEAD of an object that a connected function holds goes through the Lambda layer;
/// anything it cannot answer falls through to the normal chain.
/// </summary>
internal sealed class LambdaFirstMiddleware(RequestDelegate next, ILambdaLayer lambda)
{
    private const string Prefix = "/objects/";

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path is not null
            && path.StartsWith(Prefix, StringComparison.Ordinal)
            && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
        {
            // Path is already decoded by the server.
            var key = path[Prefix.Length..];
            if (lambda.CanServe(key) && await lambda.TryServeAsync(context, key, context.RequestAborted))
            {
                return;
            }
        }

        await next(context);
    }
}
