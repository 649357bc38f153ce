using System.Diagnostics;

namespace ReactiveCache.LambdaEmulator;

/// <summary>Spans of the local Lambda service: invoke, cold start (process start → first <c>next</c>), warm start.</summary>
internal static class EmulatorTelemetry
{
    public static readonly ActivitySource Source = new("ReactiveCache.Emulator");

    public static Activity? Start(string name, ActivityKind kind = ActivityKind.Internal, ActivityContext parent = default, DateTimeOffset startTime = default)
    {
        var activity = Source.StartActivity(name, kind, parent, startTime: startTime);
        activity?.SetTag("layer", "lambda");
        return activity;
    }
}
