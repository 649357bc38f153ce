namespace ReactiveCache.Lambda.Tunnel;

/// <summary>How a tunnel connection to the gateway is dialled (<c>Function:TunnelTransport</c>).</summary>
public enum TunnelTransport
{
    /// <summary>
    /// <c>Connection: Upgrade</c> with the token <see cref="Core.Tunnel.TunnelProtocol.UpgradeToken"/>: after the
    /// gateway's 101 the TCP connection itself carries the tunnelled HTTP, with no framing of its own.
    /// </summary>
    Upgrade,

    /// <summary>
    /// A WebSocket: every write is a masked binary frame. For networks whose proxies pass WebSockets but no
    /// other upgrade.
    /// </summary>
    WebSocket,
}
