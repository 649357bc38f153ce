using System.Net;

namespace ReactiveCache.Lambda.Tunnel;

/// <summary>
/// The endpoint Kestrel "listens" on: not a local port but the gateway's tunnel endpoint, which the
/// <see cref="TunnelConnectionListenerFactory"/> dials out to. The target changes per invocation
/// (<see cref="TunnelDialer"/>), so the endpoint itself carries nothing.
/// </summary>
public sealed class TunnelEndPoint : EndPoint
{
    public override string ToString() => "tunnel://gateway";
}
