using ReactiveCache.Core.Tunnel;
using ReactiveCache.Gateway.Objects;
using Yarp.ReverseProxy.Forwarder;
using ReactiveCache.Domain;

namespace ReactiveCache.Gateway.Tunnel;

/// <summary>
/// YARP's default request copy, plus: the response names its layer (<c>Content-Origin: lambda</c>), and neither a
/// function's "I do not hold this key" answer nor its server error (5xx) is passed on: the gateway falls back
/// instead, and the error counts against the Lambda layer's circuit.
/// </summary>
internal sealed class TunnelResponseTransformer : HttpTransformer
{
    /// <summary>Set in the request's items when the function's answer is not passed on (a miss or a 5xx).</summary>
    public static readonly object MissKey = new();

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is not null && (proxyResponse.Headers.Contains(TunnelProtocol.MissHeader) || (int)proxyResponse.StatusCode >= 500))
        {
            httpContext.Items[MissKey] = true;
            return false;
        }

        var copyBody = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        httpContext.Response.Headers[ContentOrigin.HeaderName] = ReactiveCache.Domain.CacheLayerNames.Lambda;
        return copyBody;
    }
}
