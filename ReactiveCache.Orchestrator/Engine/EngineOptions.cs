using System.ComponentModel.DataAnnotations;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>Configuration section <c>Engine</c>: how the orchestrator executes the policy's commands.</summary>
public sealed class EngineOptions
{
    public const string SectionName = "Engine";

    /// <summary>How long a drain waits for gateway acks before the node is stopped anyway.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
