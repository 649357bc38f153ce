using ReactiveCache.Lambda.Tunnel;

namespace ReactiveCache.Lambda;

/// <summary>Configuration section <c>Function</c> (environment variables <c>Function__…</c>).</summary>
public sealed class FunctionOptions
{
    public const string SectionName = "Function";

    /// <summary>
    /// Tunnel connections kept open to the gateway per invocation. Each carries one HTTP/2 connection, up to
    /// 100 requests at once (Kestrel's streams per connection); the gateway opens a second when the first is
    /// full, and the spare one stands ready when a connection breaks.
    /// </summary>
    public int MaxTunnelConnections { get; set; } = 2;

    /// <summary>
    /// How each tunnel connection is dialled: a plain HTTP/1.1 upgrade (the default: after the 101 the
    /// connection carries HTTP/2 bytes as they are) or a WebSocket (for a path where only WebSockets pass).
    /// </summary>
    public TunnelTransport TunnelTransport { get; set; } = TunnelTransport.Upgrade;

    /// <summary>How long, after saying goodbye, the function waits for in-flight requests to finish.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Kept free before the Lambda deadline to say goodbye and respond.</summary>
    public TimeSpan DeadlineMargin { get; set; } = TimeSpan.FromMilliseconds(500);
}
