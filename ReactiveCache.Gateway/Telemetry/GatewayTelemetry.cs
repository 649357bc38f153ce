using System.Diagnostics;
using System.Diagnostics.Metrics;
using ReactiveCache.Core.Routing;
using ReactiveCache.Domain;

namespace ReactiveCache.Gateway.Telemetry;

/// <summary>
/// The gateway's spans and metrics, named <c>ReactiveCache.Gateway</c> (the service defaults export every
/// <c>ReactiveCache.*</c> source and meter).
/// </summary>
public sealed class GatewayTelemetry
{
    public const string Name = "ReactiveCache.Gateway";

    public const string TagKey = "reactivecache.key";
    public const string TagRoute = "reactivecache.route";
    public const string TagLayer = "reactivecache.layer";
    public const string TagFallbacks = "reactivecache.fallbacks";
    public const string TagFallbackCount = "reactivecache.fallback_count";
    public const string TagFrom = "reactivecache.from";
    public const string TagReason = "reactivecache.reason";

    public static readonly ActivitySource Source = new(Name);

    private readonly Counter<long> _requests;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _coalesced;
    private readonly Counter<long> _droppedEvents;
    private readonly Counter<long> _linkSessions;
    private readonly Histogram<double> _duration;

    public GatewayTelemetry(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(Name);
        _requests = Meter.CreateCounter<long>("reactivecache.gateway.requests", "{request}", "Object requests answered, by the layer that served them.");
        _fallbacks = Meter.CreateCounter<long>("reactivecache.gateway.fallbacks", "{fallback}", "Times a layer missed or failed and the request went down the chain.");
        _coalesced = Meter.CreateCounter<long>("reactivecache.gateway.coalesced_fetches", "{request}", "Origin misses that joined a fetch already in flight instead of starting one.");
        _droppedEvents = Meter.CreateCounter<long>("reactivecache.gateway.dropped_events", "{event}", "Request events dropped because the queue to the orchestrator was full.");
        _linkSessions = Meter.CreateCounter<long>("reactivecache.gateway.link_sessions", "{session}", "Sessions established with the orchestrator.");
        _duration = Meter.CreateHistogram<double>("reactivecache.gateway.request.duration", "s", "Time to answer an object request, by the layer that served it.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
    }

    public Meter Meter { get; }

    /// <summary>The name of the gauge of the cache node's body chunks requested ahead, by all responses together.</summary>
    public const string ReadAheadChunksName = "reactivecache.gateway.redis.read_ahead_chunks";

    /// <summary>Reports <paramref name="chunks"/> (read-ahead chunks in flight) as <see cref="ReadAheadChunksName"/>.</summary>
    public void ObserveReadAhead(Func<int> chunks) =>
        Meter.CreateObservableGauge(ReadAheadChunksName, chunks, "{chunk}",
            "Body chunks of the cache node requested ahead of the one being sent, all responses together (bounded by CacheNode:ReadAheadBudgetChunks).");

    /// <summary>What a request's span names end with: “ ← redis”, or “ ← s3 after redis:miss” for a fallback.</summary>
    public static string ServedSuffix(CacheLayer served, string? fallbacks) =>
        fallbacks is null ? $" ← {served.ToName()}" : $" ← {served.ToName()} after {fallbacks}";

    /// <summary>The span's and the server span's names of a <paramref name="method"/> request served by <paramref name="served"/>
    /// without a fallback (made once; null for a method other than GET and HEAD).</summary>
    public static (string SpanName, string ServerSpanName)? ServedSpanNames(string method, CacheLayer served) => method switch
    {
        "GET" => GetNames[(int)served],
        "HEAD" => HeadNames[(int)served],
        _ => null,
    };

    private static readonly (string, string)[] GetNames = NamesFor("GET");
    private static readonly (string, string)[] HeadNames = NamesFor("HEAD");

    private static (string, string)[] NamesFor(string method) =>
        [.. Enum.GetValues<CacheLayer>().OrderBy(layer => (int)layer).Select(layer =>
            ($"{method} object{ServedSuffix(layer, null)}", $"{method} {ReactiveCache.Gateway.Objects.ObjectEndpoints.Pattern}{ServedSuffix(layer, null)}"))];

    private static readonly object[] SmallCounts = [0, 1, 2];

    /// <summary>A small count boxed once (a span tag's value is an object).</summary>
    public static object Boxed(int count) => (uint)count < (uint)SmallCounts.Length ? SmallCounts[count] : count;

    public void RequestServed(CacheLayer layer, double seconds)
    {
        var tag = new KeyValuePair<string, object?>(TagLayer, layer.ToName());
        _requests.Add(1, tag);
        _duration.Record(seconds, tag);
    }

    public void FallbackTaken(CacheLayer from, string reason) =>
        _fallbacks.Add(1, new KeyValuePair<string, object?>(TagFrom, from.ToName()), new KeyValuePair<string, object?>(TagReason, reason));

    public void FetchCoalesced() => _coalesced.Add(1);

    public void EventDropped() => _droppedEvents.Add(1);

    public void LinkSessionEstablished() => _linkSessions.Add(1);
}
