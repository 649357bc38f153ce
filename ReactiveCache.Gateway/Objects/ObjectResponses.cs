using ReactiveCache.Core.Http;
using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Routing;
using ReactiveCache.Domain;

namespace ReactiveCache.Gateway.Objects;

/// <summary>The gateway's side of an object response: the layer it came from and the problem body of a 416.</summary>
public static class ObjectResponses
{
    /// <summary>
    /// Names <paramref name="origin"/> in <c>Content-Origin</c> and sets status and headers for
    /// <paramref name="plan"/> (<see cref="ObjectResponder.WriteHead"/>). For 416 the caller then writes the
    /// problem body (<see cref="WriteRangeNotSatisfiableAsync"/>).
    /// </summary>
    public static void WriteHead(HttpResponse response, ObjectMetadata metadata, ResponsePlan plan, CacheLayer origin)
    {
        response.Headers[ContentOrigin.HeaderName] = origin.ToName();
        ObjectResponder.WriteHead(response, metadata, plan);
    }

    public static Task WriteRangeNotSatisfiableAsync(HttpContext context, ObjectMetadata metadata) =>
        Problems.RangeNotSatisfiable(metadata).ExecuteAsync(context);
}
