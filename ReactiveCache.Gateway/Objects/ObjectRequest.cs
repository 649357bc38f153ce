using ReactiveCache.Core.Http;

namespace ReactiveCache.Gateway.Objects;

/// <summary>What a client asked for, parsed once and read by every layer.</summary>
public sealed class ObjectRequest
{
    private ObjectRequest(string key, ObjectConditions conditions, long receivedUnixMs)
    {
        Key = key;
        Conditions = conditions;
        ReceivedUnixMs = receivedUnixMs;
    }

    public string Key { get; }

    /// <summary>Method, range and validators: what <see cref="ResponsePlan.For"/> decides on.</summary>
    public ObjectConditions Conditions { get; }

    public bool IsHead => Conditions.IsHead;

    /// <summary>True for a plain <c>GET</c> of the whole object (no range, no condition): the hot path.</summary>
    public bool IsPlainGet => Conditions.IsPlainGet;

    /// <summary>When the gateway received the request (Unix ms), as reported to the orchestrator.</summary>
    public long ReceivedUnixMs { get; }

    public static ObjectRequest From(HttpRequest request, string key, long receivedUnixMs) =>
        new(key, ObjectConditions.From(request), receivedUnixMs);
}
