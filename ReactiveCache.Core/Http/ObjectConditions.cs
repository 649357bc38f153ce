using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ReactiveCache.Core.Http;

/// <summary>
/// The parts of an object request that decide the answer (method, <c>Range</c>, <c>If-Match</c>,
/// <c>If-None-Match</c>, <c>If-Range</c>), parsed once; <see cref="ResponsePlan.For"/> turns them into a status.
/// </summary>
/// <param name="IfMatch">
/// The version the client's earlier answer had: a client reading a large object in parts sends its first answer's
/// ETag with every later part, so that it gets 412 rather than the bytes of another version.
/// </param>
public readonly record struct ObjectConditions(bool IsHead, RangeSpec? Range, StringValues IfNoneMatch, string? IfRange, StringValues IfMatch = default)
{
    /// <summary>True for a plain <c>GET</c> of the whole object (no range, no condition): the hot path.</summary>
    public bool IsPlainGet => !IsHead && Range is null && IfNoneMatch.Count == 0 && IfMatch.Count == 0;

    public static ObjectConditions From(HttpRequest request)
    {
        var isHead = HttpMethods.IsHead(request.Method);
        var headers = request.Headers;
        // Range applies to GET only (RFC 9110 §14.2); on HEAD it is ignored.
        var range = isHead ? null : RangeSpec.Parse(headers.Range);
        var ifRange = headers[HeaderNames.IfRange];
        return new ObjectConditions(isHead, range, headers.IfNoneMatch, ifRange.Count == 0 ? null : ifRange.ToString(), headers.IfMatch);
    }
}
