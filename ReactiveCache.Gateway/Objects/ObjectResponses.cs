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
    /// <paramref name="plan"/> (<see cref="ObjectResponder.WriteHead"/>). For 416 and 412 the caller then writes the
    /// problem body (<see cref="WriteRefusalAsync"/>). <paramref name="lastModified"/>: see <see cref="ObjectResponder.WriteHead"/>.
    /// </summary>
    public static void WriteHead(HttpResponse response, ObjectMetadata metadata, ResponsePlan plan, CacheLayer origin, string? lastModified = null)
    {
        response.Headers[ContentOrigin.HeaderName] = origin.ToName();
        ObjectResponder.WriteHead(response, metadata, plan, lastModified);
    }

    /// <summary>The problem body of a 416 or a 412 (<see cref="ResponsePlan.IsRefusal"/>).</summary>
    public static Task WriteRefusalAsync(HttpContext context, ObjectMetadata metadata, ResponsePlan plan) =>
        (plan.Kind == ResponseKind.PreconditionFailed ? Problems.PreconditionFailed(metadata) : Problems.RangeNotSatisfiable(metadata)).ExecuteAsync(context);
}
