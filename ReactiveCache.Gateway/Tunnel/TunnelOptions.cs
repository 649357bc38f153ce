using System.ComponentModel.DataAnnotations;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.Gateway.Tunnel;

/// <summary>Configuration section <c>Tunnel</c>: the functions' tunnels into the gateway.</summary>
public sealed class TunnelOptions : IValidatableObject
{
    public const string SectionName = "Tunnel";

    /// <summary>
    /// The HMAC secret shared with the orchestrator (it mints the tokens this gateway checks). From
    /// configuration only (user secrets, environment, AppHost parameter). Unset: every tunnel is refused.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>
    /// The tunnel port: functions dial <c>/tunnel/connect</c> here, and after the 101 the gateway forwards
    /// straight over the accepted socket (<see cref="TunnelPortListenerFactory"/>). A port of its own, not the one
    /// clients use, and one the gateway listens on (its URLs; the AppHost's <c>tunnel</c> endpoint). Unset: functions dial the gateway's ordinary port, and the tunnel
    /// runs over Kestrel's upgraded stream.
    /// </summary>
    [Range(1, 65535)]
    public int? ListenPort { get; set; }

    /// <summary>
    /// Requests forwarded to one function at once, each on its own tunnel connection (HTTP/1.1); more wait
    /// for a connection to come free. Match the functions' <c>Function:MaxTunnelConnections</c>.
    /// </summary>
    [Range(1, 1024)]
    public int MaxConnectionsPerFunction { get; set; } = 32;

    /// <summary>
    /// Tunnel connections one invocation may hold open at once; a dial past it is refused with 429 (the function
    /// backs off and dials again when one closes). Above <see cref="MaxConnectionsPerFunction"/> (the function's
    /// <c>Function:MaxTunnelConnections</c>) by a margin: a connection the gateway has not counted out yet may
    /// already be free on the function's side, which dials again at once.
    /// </summary>
    [Range(1, 4096)]
    public int MaxConnectionsPerInvocation { get; set; } = 64;

    /// <summary>
    /// The tunnel URLs functions use to reach this gateway (<c>Tunnel:Urls:0</c>, …), exactly as the orchestrator
    /// names them in <c>Function:GatewayTunnelUrl</c>/<c>MoreGatewayTunnelUrls</c>: a function's token must be
    /// addressed to one of them, so a token given to another gateway is refused here. Unset: the token must be
    /// addressed to the URL the dial arrived at (scheme, <c>Host</c> and path), which a forger can imitate; set it.
    /// </summary>
    public List<string> Urls { get; set; } = [];

    /// <summary>How long a forwarded request waits for a free tunnel connection before falling back.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a forwarded request waits for the function's response head before it fails and the request falls back
    /// (a function answers from memory: its head comes in milliseconds unless it is stuck). Counted from the request's
    /// start, so it includes the wait for a tunnel connection: it must be longer than <see cref="ConnectTimeout"/>.
    /// </summary>
    public TimeSpan FirstByteTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a tunnelled request may stay silent before it fails.</summary>
    public TimeSpan ActivityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the forwarder keeps a tunnel connection between requests before handing it back to the function
    /// (which dials it again); its pool checks the connections it keeps every quarter of this.
    /// </summary>
    public TimeSpan PooledIdleTimeout { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>How long a function's goodbye waits for the requests already forwarded to it.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A tunnelled response body up to this size is held back until complete, so that a function dying
    /// mid-body still falls back to S3; larger ones stream (and cannot fall back once started).
    /// </summary>
    public int MaxBufferedBytes { get; set; } = 8 * 1024 * 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Secret is not null && Secret.Length < TunnelToken.MinimumSecretLength)
        {
            yield return new ValidationResult($"Tunnel:Secret must have at least {TunnelToken.MinimumSecretLength} characters.", [nameof(Secret)]);
        }

        if (MaxBufferedBytes < 0)
        {
            yield return new ValidationResult("Tunnel:MaxBufferedBytes cannot be negative.", [nameof(MaxBufferedBytes)]);
        }

        if (ConnectTimeout <= TimeSpan.Zero || FirstByteTimeout <= TimeSpan.Zero || ActivityTimeout <= TimeSpan.Zero || PooledIdleTimeout <= TimeSpan.Zero || DrainTimeout < TimeSpan.Zero)
        {
            yield return new ValidationResult("Tunnel:ConnectTimeout, Tunnel:FirstByteTimeout, Tunnel:ActivityTimeout and Tunnel:PooledIdleTimeout must be positive, Tunnel:DrainTimeout not negative.", [nameof(ConnectTimeout)]);
        }

        // The wait for the response head runs from the request's start, so it includes the wait for a tunnel connection:
        // no longer than that, it would cut the connect timeout short and leave the function no time to answer.
        if (FirstByteTimeout <= ConnectTimeout)
        {
            yield return new ValidationResult(
                $"Tunnel:FirstByteTimeout ({FirstByteTimeout}) must be longer than Tunnel:ConnectTimeout ({ConnectTimeout}): it includes the wait for a tunnel connection.",
                [nameof(FirstByteTimeout)]);
        }
    }
}
