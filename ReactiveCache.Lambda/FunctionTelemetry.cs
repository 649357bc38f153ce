using System.Diagnostics;

namespace ReactiveCache.Lambda;

/// <summary>The function's spans: invoke (with warm/cold), tunnel open, each tunnelled GET. All carry <c>layer=lambda</c>.</summary>
public static class FunctionTelemetry
{
    public static readonly ActivitySource Function = new("ReactiveCache.Function");
    public static readonly ActivitySource Tunnel = new("ReactiveCache.Tunnel");

    public static Activity? Start(this ActivitySource source, string name, ActivityKind kind = ActivityKind.Internal)
    {
        var activity = source.StartActivity(name, kind);
        activity?.SetTag("layer", "lambda");
        return activity;
    }
}
