using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ReactiveCache.Orchestrator.Telemetry;

/// <summary>The orchestrator's spans and metrics (ServiceDefaults exports every "ReactiveCache.*" source and meter).</summary>
public static class OrchestratorTelemetry
{
    public const string Name = "ReactiveCache.Orchestrator";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> NodeStarts = Meter.CreateCounter<long>("reactivecache.cache_node.starts", description: "Cache node boots requested");

    public static readonly Histogram<double> NodeBootDuration = Meter.CreateHistogram<double>("reactivecache.cache_node.boot.duration", "ms", "Trigger to PING answered");

    /// <summary>A published key whose route did not match its policy state (or its pin): should stay at zero.</summary>
    public static readonly Counter<long> RouteMismatches = Meter.CreateCounter<long>("reactivecache.orchestrator.route_mismatches", description: "Keys whose route did not match their state");

    public static readonly Histogram<double> FunctionActivation = Meter.CreateHistogram<double>("reactivecache.function.activation.duration", "ms",
        "Invoke to the function's control stream connected (its tunnel opens with it): when its route can switch");

    /// <summary>Object changes a watcher raised that found the queue to the invalidator full; each drop makes every cached copy be invalidated.</summary>
    public static readonly Counter<long> InvalidationsDropped = Meter.CreateCounter<long>("reactivecache.orchestrator.invalidation.dropped", "{change}",
        "Object changes dropped because the invalidation queue was full (every cached copy is invalidated instead)");

    /// <summary>Messages of the S3 change queue, tagged <c>outcome</c>: received, applied, malformed, failed, delete_failed, receive_failed.</summary>
    public static readonly Counter<long> QueueMessages = Meter.CreateCounter<long>("reactivecache.invalidation.queue.messages", description: "S3 change queue messages by outcome");

    /// <summary>Items a background loop failed on and went past; tagged with the loop and the item's kind (a node command's, an event's).</summary>
    public static readonly Counter<long> LoopFailures = Meter.CreateCounter<long>("reactivecache.orchestrator.loop.failures", description: "Items a background loop failed on and went past");

    /// <summary>
    /// A background loop's one item failed: logged and counted (<see cref="LoopFailures"/>) here, and the loop goes
    /// on with the next item. One item's failure never ends a loop.
    /// </summary>
    public static void LoopFailed(this ILogger logger, Exception failure, string loop, string item, string key = "")
    {
        logger.LogError(failure, "The {Loop} loop failed on {Item} {Key}; it goes on with the next", loop, item, key);
        LoopFailures.Add(1, new KeyValuePair<string, object?>("loop", loop), new KeyValuePair<string, object?>("item", item));
    }
}
