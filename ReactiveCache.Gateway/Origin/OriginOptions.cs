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
}
