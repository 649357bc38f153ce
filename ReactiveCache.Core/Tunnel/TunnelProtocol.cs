namespace ReactiveCache.Core.Tunnel;

/// <summary>What the function and the gateway agree on for the tunnel (paths, headers).</summary>
public static class TunnelProtocol
{
    /// <summary>
    /// The gateway's internal endpoint a function dials (an HTTP/1.1 upgrade to <see cref="UpgradeToken"/>,
    /// or a WebSocket), one connection per
    /// tunnelled HTTP connection: <c>GET {gatewayTunnelUrl}?invocation={id}</c>. The payload's
    /// <c>gatewayTunnelUrl</c> points at it.
    /// </summary>
    public const string ConnectPath = "/tunnel/connect";

    /// <summary><c>DELETE /tunnel/invocations/{id}</c>: the function's goodbye (thesis: <c>lambdaBye</c>).</summary>
    public const string InvocationsPath = "/tunnel/invocations";

    public const string InvocationQuery = "invocation";

    /// <summary>Whether <paramref name="url"/> can name a gateway's tunnel endpoint: absolute, http(s) or ws(s).</summary>
    public static bool IsTunnelUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ws" or "wss";

    /// <summary>
    /// Whether a tunnel URL may be used outside Development: encrypted (<c>https</c>, <c>wss</c>), or in clear only
    /// to a private or loopback address (10/8, 172.16/12, 192.168/16, 127/8, 100.64/10, ::1, fc00::/7, given as an
    /// address, not a name that could resolve anywhere). The token travels in the dial: in clear over a public
    /// network anyone on the path could take it.
    /// </summary>
    public static bool IsSecureOrPrivate(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return false;
        }

        if (uri.Scheme is "https" or "wss")
        {
            return true;
        }

        if (!System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
        {
            return false;
        }

        if (System.Net.IPAddress.IsLoopback(address))
        {
            return true;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var b = address.GetAddressBytes();
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168) || (b[0] == 100 && (b[1] & 0xC0) == 64)
            : (b[0] & 0xFE) == 0xFC;
    }

    /// <summary>
    /// The <c>Upgrade</c> token of a plain tunnel connection: after the gateway's <c>101 Switching Protocols</c>
    /// the connection carries the tunnelled HTTP bytes as they are (no WebSocket framing or masking).
    /// </summary>
    public const string UpgradeToken = "reactivecache-tunnel";

    /// <summary>
    /// Set by the function on a response for a key it does not hold (a stale route): the gateway does
    /// not pass that response on but falls back to the next layer.
    /// </summary>
    public const string MissHeader = "X-Function-Miss";

    /// <summary>The token travels as <c>Authorization: Bearer …</c>.</summary>
    public const string Scheme = "Bearer";
}
