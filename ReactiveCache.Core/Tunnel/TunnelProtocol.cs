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
