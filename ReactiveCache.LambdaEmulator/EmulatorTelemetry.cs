using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ReactiveCache.LambdaEmulator;

/// <summary>
/// Spans of the local Lambda service: invoke, cold start (process start → first <c>next</c>), warm start; and the
/// start-ups' durations as a histogram (the service defaults export every <c>ReactiveCache.*</c> meter).
/// </summary>
internal static class EmulatorTelemetry
{
    public static readonly ActivitySource Source = new("ReactiveCache.Emulator");

    public static readonly Meter Meter = new("ReactiveCache.Emulator");

    private static readonly Histogram<double> StartDuration = Meter.CreateHistogram<double>("reactivecache.function.start.duration", "ms",
        "A function's start: cold (process start to the runtime's first next) or warm (invoke to the runtime receiving the event).");

    /// <summary>Records a start-up's duration, tagged <c>faas.coldstart</c>.</summary>
    public static void StartedUp(TimeSpan duration, bool cold) =>
        StartDuration.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>("faas.coldstart", cold));

    public static Activity? Start(string name, ActivityKind kind = ActivityKind.Internal, ActivityContext parent = default, DateTimeOffset startTime = default)
    {
        var activity = Source.StartActivity(name, kind, parent, startTime: startTime);
        activity?.SetTag("layer", "lambda");
        return activity;
    }
}
