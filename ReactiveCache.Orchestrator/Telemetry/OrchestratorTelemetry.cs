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
}
