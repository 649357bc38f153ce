using System.ComponentModel.DataAnnotations;

namespace ReactiveCache.Gateway.Limits;

/// <summary>Configuration section <c>Limits</c>: what one gateway accepts at once, and how long a request may wait for an answer.</summary>
public sealed class GatewayLimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>Open client connections per listening endpoint (Kestrel); more wait in the accept queue.</summary>
    [Range(1, 1_000_000)]
    public long MaxConcurrentConnections { get; set; } = 10_000;

    /// <summary>Upgraded connections (function tunnels, WebSockets) per listening endpoint (Kestrel).</summary>
    [Range(1, 1_000_000)]
    public long MaxConcurrentUpgradedConnections { get; set; } = 10_000;

    /// <summary>Total size of a request's headers (Kestrel answers 431 past it).</summary>
    [Range(1_024, 1_048_576)]
    public int MaxRequestHeadersTotalSizeBytes { get; set; } = 32 * 1_024;

    /// <summary>Time a client has to send its request headers (Kestrel closes the connection past it).</summary>
    [Range(100, 600_000)]
    public int RequestHeadersTimeoutMs { get; set; } = 10_000;

    /// <summary>
    /// The deadline of an object request up to its first response byte: past it, the client gets a 504 problem.
    /// A body that has started is bounded by Kestrel's minimum data rate instead (a 100 MB object to a slow client
    /// may take longer). Keep it above <c>Origin:DeadlineMs</c> so that a slow S3 is answered as such.
    /// </summary>
    [Range(100, 600_000)]
    public int RequestDeadlineMs { get; set; } = 10_000;

    /// <summary>
    /// Memory that all requests together may hold for bodies held back whole (function answers held until
    /// complete, origin objects shared by coalesced requests). When it is used up, requests stream instead.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long HeldBodiesMaxBytes { get; set; } = 256L * 1_024 * 1_024;
}
