using System.ComponentModel.DataAnnotations;

namespace ReactiveCache.Gateway.Layers;

/// <summary>Configuration section <c>Layers:CircuitBreaker</c>: when a cache layer is skipped because it keeps failing.</summary>
public sealed class LayerResilienceOptions
{
    public const string SectionName = "Layers:CircuitBreaker";

    /// <summary>Share of failed calls in the sampling window that opens the circuit.</summary>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    [Range(1, 10_000)]
    public int MinimumThroughput { get; set; } = 10;

    [Range(100, 600_000)]
    public int SamplingDurationMs { get; set; } = 5_000;

    /// <summary>How long an open circuit skips the layer before one trial call.</summary>
    [Range(500, 600_000)]
    public int BreakDurationMs { get; set; } = 5_000;
}
