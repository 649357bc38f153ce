using System.ComponentModel.DataAnnotations;

namespace ReactiveCache.Gateway.Origin;

/// <summary>Configuration section <c>Origin</c>: reads from the store of record (S3).</summary>
public sealed class OriginOptions
{
    public const string SectionName = "Origin";

    /// <summary>
    /// Objects up to this size are fetched once for all the requests that miss on them at the same time
    /// (and held in memory while those are answered); larger ones are streamed to each client on its own.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int CoalesceMaxBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// The deadline of one origin request: waiting for a fetch slot, S3's answer with every SDK retry, and
    /// the body of an object small enough to share. Past it the client gets a 504 problem.
    /// </summary>
    [Range(100, 300_000)]
    public int DeadlineMs { get; set; } = 5_000;

    /// <summary>
    /// The longest the store of record may stall while it sends a streamed (large) body: past it without a byte, the
    /// read is given up. If the client got nothing yet it is answered 504; otherwise its connection is aborted (never a
    /// short 200). A shared (small) body is bounded by <see cref="DeadlineMs"/> instead.
    /// </summary>
    [Range(100, 300_000)]
    public int BodyIdleTimeoutMs { get; set; } = 10_000;

    /// <summary>Origin fetches running at once; more wait in the queue (<see cref="FetchQueueLimit"/>).</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentFetches { get; set; } = 64;

    /// <summary>Origin fetches that may wait for a slot; past it a request is answered 503 with <c>Retry-After</c>.</summary>
    [Range(0, 100_000)]
    public int FetchQueueLimit { get; set; } = 512;

    /// <summary>The <c>Retry-After</c> of a 503 answered because S3 is saturated.</summary>
    [Range(1, 3_600)]
    public int RetryAfterSeconds { get; set; } = 1;
}
