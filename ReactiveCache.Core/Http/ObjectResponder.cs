using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using ReactiveCache.Core.Objects;

namespace ReactiveCache.Core.Http;

/// <summary>
/// HTTP object semantics over an object held in memory, the same as the gateway's: <c>ETag</c>,
/// <c>If-None-Match</c> → 304, a single <c>Range: bytes=…</c> → 206 with <c>Content-Range</c>
/// (416 when unsatisfiable; several ranges are answered with the whole object, as RFC 9110 allows),
/// <c>HEAD</c> without a body.
/// </summary>
public static class ObjectResponder
{
    public static async Task WriteAsync(HttpContext context, InMemoryObject obj, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var response = context.Response;
        var metadata = obj.Metadata;

        response.Headers.ETag = metadata.ETag;
        response.Headers.LastModified = metadata.LastModified.ToString("R");
        response.Headers.AcceptRanges = "bytes";

        if (NoneMatch(request, metadata.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = metadata.ContentType;
        var range = ResolveRange(request, metadata.Length, out var unsatisfiable);
        if (unsatisfiable)
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.Headers.ContentRange = $"bytes */{metadata.Length}";
            response.ContentLength = 0;
            return;
        }

        var body = obj.Content;
        if (range is { } r)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {r.From}-{r.To}/{metadata.Length}";
            body = body.Slice((int)r.From, (int)r.Length);
        }
        else
        {
            response.StatusCode = StatusCodes.Status200OK;
        }

        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(request.Method))
        {
            await response.Body.WriteAsync(body, cancellationToken);
        }
    }

    /// <summary><c>If-None-Match</c> names the current ETag (weak comparison, as RFC 9110 asks for GET) or <c>*</c>.</summary>
    public static bool NoneMatch(HttpRequest request, string etag)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0 || !EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return false;
        }

        if (!EntityTagHeaderValue.TryParse(etag, out var current))
        {
            return false;
        }

        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }

    /// <summary>
    /// The single byte range asked for, resolved against <paramref name="length"/>; <c>null</c> for the
    /// whole object (no header, a malformed one, or several ranges).
    /// </summary>
    public static ByteRange? ResolveRange(HttpRequest request, long length, out bool unsatisfiable)
    {
        unsatisfiable = false;
        var header = request.Headers.Range;
        if (header.Count != 1
            || !RangeHeaderValue.TryParse(header[0], out var parsed)
            || !string.Equals(parsed.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase)
            || parsed.Ranges.Count != 1)
        {
            return null;
        }

        var item = parsed.Ranges.First();
        long from, to;
        if (item.From is { } f)
        {
            from = f;
            to = item.To is { } t ? Math.Min(t, length - 1) : length - 1;
        }
        else if (item.To is { } suffix && suffix > 0)
        {
            from = Math.Max(0, length - suffix);
            to = length - 1;
        }
        else
        {
            unsatisfiable = true;
            return null;
        }

        if (from >= length || from > to)
        {
            unsatisfiable = true;
            return null;
        }

        return new ByteRange(from, to);
    }
}
