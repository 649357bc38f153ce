using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ReactiveCache.Gateway.Objects;

/// <summary>What a client asked for, parsed once and read by every layer.</summary>
public sealed class ObjectRequest
{
    private ObjectRequest(string key, bool isHead, RangeSpec? range, StringValues ifNoneMatch, string? ifRange, long receivedUnixMs)
    {
        Key = key;
        IsHead = isHead;
        Range = range;
        IfNoneMatch = ifNoneMatch;
        IfRange = ifRange;
        ReceivedUnixMs = receivedUnixMs;
    }

    public string Key { get; }

    public bool IsHead { get; }

    /// <summary>The single byte range asked for, or <c>null</c> (none, or one the server ignores).</summary>
    public RangeSpec? Range { get; }

    public StringValues IfNoneMatch { get; }

    public string? IfRange { get; }

    /// <summary>When the gateway received the request (Unix ms), as reported to the orchestrator.</summary>
    public long ReceivedUnixMs { get; }

    /// <summary>True for a plain <c>GET</c> of the whole object (no range, no condition): the hot path.</summary>
    public bool IsPlainGet => !IsHead && Range is null && IfNoneMatch.Count == 0;

    public static ObjectRequest From(HttpRequest request, string key, long receivedUnixMs)
    {
        var isHead = HttpMethods.IsHead(request.Method);
        var headers = request.Headers;
        // Range applies to GET only (RFC 9110 §14.2); on HEAD it is ignored.
        var range = isHead ? null : RangeSpec.Parse(headers.Range);
        var ifRange = headers[HeaderNames.IfRange];
        return new ObjectRequest(key, isHead, range, headers.IfNoneMatch, ifRange.Count == 0 ? null : ifRange.ToString(), receivedUnixMs);
    }
}
