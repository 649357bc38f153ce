namespace ReactiveCache.Domain.Traces;

/// <summary>One line of a trace: <c>id&lt;TAB&gt;offset_s&lt;TAB&gt;GET&lt;TAB&gt;key</c>.</summary>
public readonly record struct TraceRequest(long Id, double OffsetSeconds, string Method, string Key);
