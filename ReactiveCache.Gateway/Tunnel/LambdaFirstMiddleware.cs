using ReactiveCache.Gateway.Layers;

namespace ReactiveCache.Gateway.Tunnel;

/// <summary>
/// Interim (until the Gateway issue's route table and fallback chain land; enabled by
/// <see cref="TunnelOptions.ServeObjectsThroughLambda"/>): a GET/HEAD of an object that a connected
/// function holds goes through the Lambda layer; anything it cannot answer falls through to S3.
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
