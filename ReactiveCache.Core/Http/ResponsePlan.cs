using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using ReactiveCache.Core.Objects;

namespace ReactiveCache.Core.Http;

public enum ResponseKind
{
    /// <summary>200 with the whole object.</summary>
    Full,

    /// <summary>206 with <see cref="ResponsePlan.Range"/>.</summary>
    Partial,

    /// <summary>304: the client's copy (If-None-Match) is current.</summary>
    NotModified,

    /// <summary>416: the range selects no byte of the object.</summary>
    RangeNotSatisfiable,

    /// <summary>412: the client asked for another version (If-Match) than the one held.</summary>
    PreconditionFailed,
}

/// <summary>
/// What to answer for an object once its metadata is known: the one decision every layer makes (the gateway's
/// S3, Redis and Lambda layers, and the function itself through <see cref="ObjectResponder"/>).
/// </summary>
public readonly record struct ResponsePlan(ResponseKind Kind, ByteRange? Range)
{
    /// <summary>The bytes of the body to send (<c>null</c> for none).</summary>
    public ByteRange? BodyRange(ObjectMetadata metadata) => Kind switch
    {
        ResponseKind.Full => metadata.Length == 0 ? null : new ByteRange(0, metadata.Length - 1),
        ResponseKind.Partial => Range,
        _ => null,
    };

    /// <summary>An answer without the object: 416 or 412, whose body (if any) says why.</summary>
    public bool IsRefusal => Kind is ResponseKind.RangeNotSatisfiable or ResponseKind.PreconditionFailed;

    public static ResponsePlan For(ObjectConditions request, ObjectMetadata metadata)
    {
        // If-Match first (RFC 9110 §13.2.2), with the strong comparison: a part of another version is never sent.
        if (request.IfMatch.Count > 0 && !Matches(request.IfMatch, metadata.ETag, strong: true))
        {
            return new ResponsePlan(ResponseKind.PreconditionFailed, null);
        }

        if (request.IfNoneMatch.Count > 0 && Matches(request.IfNoneMatch, metadata.ETag, strong: false))
        {
            return new ResponsePlan(ResponseKind.NotModified, null);
        }

        if (request.Range is not { } range)
        {
            return new ResponsePlan(ResponseKind.Full, null);
        }

        // If-Range with a different validator: send the whole (new) object instead of a part of it.
        if (request.IfRange is { } ifRange && !string.Equals(ifRange.Trim(), metadata.ETag, StringComparison.Ordinal))
        {
            return new ResponsePlan(ResponseKind.Full, null);
        }

        return range.Resolve(metadata.Length) is { } resolved
            ? new ResponsePlan(ResponseKind.Partial, resolved)
            : new ResponsePlan(ResponseKind.RangeNotSatisfiable, null);
    }

    /// <summary>
    /// Whether a list of entity tags names <paramref name="etag"/>: If-None-Match uses the weak comparison, If-Match the
    /// strong one (RFC 9110 §13.1); <c>*</c> matches any current object.
    /// </summary>
    private static bool Matches(StringValues ifNoneMatch, string etag, bool strong)
    {
        if (!EntityTagHeaderValue.TryParse(etag, out var current))
        {
            return false;
        }

        if (!EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
        {
            return false;
        }

        foreach (var tag in tags)
        {
            if (tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: strong))
            {
                return true;
            }
        }

        return false;
    }
}
