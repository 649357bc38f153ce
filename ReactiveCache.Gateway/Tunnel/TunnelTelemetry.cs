using System.Diagnostics;

namespace ReactiveCache.Gateway.Tunnel;

/// <summary>The gateway's side of the tunnel: connections accepted, requests forwarded (<c>layer=lambda</c>).</summary>
internal static class TunnelTelemetry
{
    public static readonly ActivitySource Source = new("ReactiveCache.Tunnel");

    public static Activity? Start(string name, ActivityKind kind = ActivityKind.Internal)
    {
        var activity = Source.StartActivity(name, kind);
        activity?.SetTag("layer", "lambda");
        return activity;
    }
}
