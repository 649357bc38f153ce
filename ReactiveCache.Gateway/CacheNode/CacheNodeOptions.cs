using System.ComponentModel.DataAnnotations;

namespace ReactiveCache.Gateway.CacheNode;

/// <summary>
/// Configuration section <c>CacheNode</c>: how the gateway talks to the cache node. The node's endpoint
/// normally arrives at run time from the orchestrator; the password never does (it is configuration:
/// user secrets locally, SSM/Secrets Manager on AWS).
/// </summary>
public sealed class CacheNodeOptions
{
    public const string SectionName = "CacheNode";

    /// <summary>Name of the connection string (<c>ConnectionStrings:cache</c>, Aspire's convention) that, when set,
    /// supplies the base client options (password, TLS, …) and a node to use before the orchestrator names one.</summary>
    public const string ConnectionStringName = "cache";

    /// <summary>
    /// The node's user the gateway signs in as: the read-only one the node defines for gateways (see
    /// <c>Core/Caching/CacheNodeUsers.cs</c>); overrides one in the connection string. Unset: the node's default user.
    /// </summary>
    public string? User { get; set; }

    /// <summary>AUTH password of the node (of <see cref="User"/>); overrides one in the connection string.</summary>
    public string? Password { get; set; }

    /// <summary>A node to use from the start (<c>host:port</c>), for runs without an orchestrator.</summary>
    public string? Endpoint { get; set; }

    /// <summary>
    /// How long a read waits before the response has started: a slower node is treated as failed and the request
    /// falls back. Exact (a timer per read), where the connection's own timeout is checked once a second: 250 ms
    /// there meant 0.25–1.25 s, and under load a first read waits behind other responses' chunks on the one connection.
    /// </summary>
    [Range(10, 60_000)]
    public int CommandTimeoutMs { get; set; } = 1_000;

    /// <summary>
    /// How long a read of the rest of a body waits once the response has started (the connection's own command
    /// timeout). There is no falling back then: a read that gives up cuts the client's body short. Under CPU
    /// load a chunk waits behind every other response's chunks pipelined on the same connection, so this is
    /// far longer than <see cref="CommandTimeoutMs"/>; a node that is gone fails its reads at once anyway.
    /// </summary>
    [Range(10, 600_000)]
    public int StreamTimeoutMs { get; set; } = 10_000;

    [Range(100, 60_000)]
    public int ConnectTimeoutMs { get; set; } = 2_000;

    /// <summary>
    /// Chunks one response requests ahead of the one being sent (pipelined on the connection), as far as
    /// <see cref="ReadAheadBudgetChunks"/> allows: each response always has one read in flight.
    /// </summary>
    [Range(1, 64)]
    public int ReadAheadChunks { get; set; } = 4;

    /// <summary>
    /// Chunks all responses together may have requested beyond the one read each has in flight. Every chunk read is a
    /// (pooled) buffer held until it is sent, of up to <see cref="ReactiveCache.Core.Caching.CacheEntryLayout.DefaultChunkBytes"/>
    /// (256 KiB): without a shared bound, 64 concurrent 1 MB GETs would hold 64 × 3 chunks = 48 MiB (and the garbage
    /// collector's room for them); the default bounds it to 32 × 256 KiB = 8 MiB. A few streams still read
    /// <see cref="ReadAheadChunks"/> ahead.
    /// </summary>
    [Range(0, 65_536)]
    public int ReadAheadBudgetChunks { get; set; } = 32;

    /// <summary>How long a drain waits for reads in flight before acknowledging anyway.</summary>
    [Range(100, 600_000)]
    public int DrainTimeoutMs { get; set; } = 30_000;
}
