using System.Globalization;
using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Routing;

namespace ReactiveCache.Gateway.Objects;

/// <summary>Writes status and headers of an object response the same way whichever layer serves it.</summary>
public static class ObjectResponses
{
    /// <summary>
    /// Sets status and headers for <paramref name="plan"/>. For 416 the caller then writes the problem body
    /// (<see cref="WriteRangeNotSatisfiableAsync"/>); for 200/206 it writes the bytes of
    /// <see cref="ResponsePlan.BodyRange"/> unless the request is a HEAD.
    /// </summary>
    public static void WriteHead(HttpResponse response, ObjectMetadata metadata, ResponsePlan plan, CacheLayer origin)
    {
        var headers = response.Headers;
        headers[ContentOrigin.HeaderName] = origin.ToName();
        headers.ETag = metadata.ETag;
        headers.LastModified = metadata.LastModified.ToString("R", CultureInfo.InvariantCulture);
        headers.AcceptRanges = "bytes";

        switch (plan.Kind)
        {
            case ResponseKind.NotModified:
                response.StatusCode = StatusCodes.Status304NotModified;
                break;
            case ResponseKind.RangeNotSatisfiable:
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                headers.ContentRange = $"bytes */{metadata.Length}";
                break;
            case ResponseKind.Partial:
                var range = plan.Range!.Value;
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.ContentType = metadata.ContentType;
                response.ContentLength = range.Length;
                headers.ContentRange = $"bytes {range.From}-{range.To}/{metadata.Length}";
                break;
            default:
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = metadata.ContentType;
                response.ContentLength = metadata.Length;
                break;
        }
    }

    public static Task WriteRangeNotSatisfiableAsync(HttpContext context, ObjectMetadata metadata) =>
        Problems.RangeNotSatisfiable(metadata).ExecuteAsync(context);
}
