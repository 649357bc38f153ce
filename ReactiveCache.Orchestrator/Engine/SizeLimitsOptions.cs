using System.ComponentModel.DataAnnotations;
using ReactiveCache.Domain;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>Configuration section <c>SizeLimits</c>: the largest object each layer may hold (see <see cref="LayerSizeLimits"/>).</summary>
public sealed class SizeLimitsOptions
{
    public const string SectionName = "SizeLimits";

    /// <summary>The largest object a function holds: at most Lambda's 6 MB response cap.</summary>
    [Range(1L, LayerSizeLimits.FunctionResponseCap)]
    public long FunctionMaxBytes { get; set; } = LayerSizeLimits.FunctionResponseCap;

    /// <summary>The largest object loaded onto the cache node (a Redis-protocol server takes values up to 512 MB by default).</summary>
    [Range(1L, long.MaxValue)]
    public long NodeMaxBytes { get; set; } = LayerSizeLimits.NodeDefaultMaxBytes;

    public LayerSizeLimits ToLimits() => new(FunctionMaxBytes, NodeMaxBytes);
}
