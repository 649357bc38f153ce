using ReactiveCache.Lambda.Tunnel;

namespace ReactiveCache.Lambda;

/// <summary>Configuration section <c>Function</c> (environment variables <c>Function__…</c>).</summary>
public sealed class FunctionOptions
{
    public const string SectionName = "Function";

    /// <summary>
    /// Tunnel connections kept open to the gateway per invocation: the requests the gateway can forward to
    /// this function at once (HTTP/1.1, one per connection; the gateway's <c>Tunnel:MaxConnectionsPerFunction</c>
    /// holds further ones back until a connection comes free).
    /// </summary>
    public int MaxTunnelConnections { get; set; } = 32;

    /// <summary>
    /// How each tunnel connection is dialled: a plain HTTP/1.1 upgrade (the default: after the 101 the
    /// connection carries the tunnelled HTTP/1.1 bytes as they are) or a WebSocket (for a path where only WebSockets pass).
    /// </summary>
    public TunnelTransport TunnelTransport { get; set; } = TunnelTransport.Upgrade;

    /// <summary>How long, after saying goodbye, the function waits for in-flight requests to finish.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an invocation waits for its first tunnel connection before its life counts anyway: the life's first TICK
    /// counts from that connection (a slow cold start does not eat it), and a gateway that never answers does not keep the
    /// function up for longer than this.
    /// </summary>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Kept free before the Lambda deadline to say goodbye and respond.</summary>
    public TimeSpan DeadlineMargin { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The gateway tunnel URLs an invocation may name (<c>Function__AllowedGatewayUrls__0</c>, …): an invocation naming
    /// any other is refused, so that whoever can invoke the function cannot make it dial out anywhere with its data.
    /// Empty: every invocation is refused.
    /// </summary>
    public List<string> AllowedGatewayUrls { get; set; } = [];

    /// <summary>The orchestrator URLs an invocation may name for its control stream (<c>Function__AllowedOrchestratorUrls__0</c>, …).</summary>
    public List<string> AllowedOrchestratorUrls { get; set; } = [];
}
