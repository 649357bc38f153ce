using ReactiveCache.Domain.Simulation;

namespace ReactiveCache.Domain.Policy.Configuration;

/// <summary>
/// The orchestrator's policy configuration (section <see cref="SectionName"/>). <see cref="Rate"/> and
/// <see cref="Sensitivity"/> derive the thresholds like the thesis's configurator; any explicit
/// threshold below overrides the derived one (short settings for tests and demos).
/// <c>reactive-cache configure</c> writes this section with every derived value spelled out.
/// </summary>
public sealed class PolicyOptions
{
    public const string SectionName = "Policy";

    /// <summary>Our policy (<see cref="Default.DefaultPolicy"/>) unless configured otherwise (<c>Policy:Kind=Thesis</c> runs the thesis's).</summary>
    public PolicyKind Kind { get; set; } = PolicyKind.Default;

    /// <summary>
    /// The start-up model the default policy decides with (<c>Policy:Startup:NodeBootMeanSeconds</c>, …): the same
    /// record the simulator runs with, its defaults the thesis's measurements. The orchestrator sets what its own
    /// options state (the function timeout; a local node's boot delay) before it builds the policy.
    /// </summary>
    public StartupModel Startup { get; set; } = new();

    /// <summary>Expected requests per object per minute, in (0, 10).</summary>
    public double Rate { get; set; } = 3.0;

    /// <summary>1..5, higher = more weight on latency.</summary>
    public int Sensitivity { get; set; } = 4;

    public int? TickSeconds { get; set; }

    public int? LambdaWindowElements { get; set; }

    public int? LambdaThresholdSeconds { get; set; }

    public int? RedisThreshold { get; set; }

    public int? RedisUtilizationSeconds { get; set; }

    public int? RedisCheckIntervalSeconds { get; set; }

    /// <summary>
    /// Keys at rest (served by S3, nothing running for them) whose state is kept at most, by the policy and the
    /// orchestrator's view of it; beyond it the least recently requested are forgotten, so that a flood of distinct
    /// keys cannot grow the orchestrator's memory without bound.
    /// </summary>
    public int MaxTrackedKeys { get; set; } = BoundedKeyMapSettings.DefaultCapacity;

    /// <summary>The effective parameters: derived from rate and sensitivity, then the explicit overrides.</summary>
    public PolicyParameters ToParameters()
    {
        var derived = PolicyConfigurator.Derive(Rate, Sensitivity);
        return new PolicyParameters(
            Tick: TickSeconds is { } tick ? TimeSpan.FromSeconds(tick) : derived.Tick,
            LambdaWindowElements: LambdaWindowElements ?? derived.LambdaWindowElements,
            LambdaThreshold: LambdaThresholdSeconds is { } lt ? TimeSpan.FromSeconds(lt) : derived.LambdaThreshold,
            RedisThreshold: RedisThreshold ?? derived.RedisThreshold,
            RedisUtilization: RedisUtilizationSeconds is { } ru ? TimeSpan.FromSeconds(ru) : derived.RedisUtilization,
            RedisCheckInterval: RedisCheckIntervalSeconds is { } ci ? TimeSpan.FromSeconds(ci) : derived.RedisCheckInterval);
    }

    /// <summary>The options with every derived value written out (what <c>configure</c> emits).</summary>
    public static PolicyOptions FromDerived(PolicyKind kind, double rate, int sensitivity)
    {
        var p = PolicyConfigurator.Derive(rate, sensitivity);
        return new PolicyOptions
        {
            Kind = kind,
            Rate = rate,
            Sensitivity = sensitivity,
            TickSeconds = (int)p.Tick.TotalSeconds,
            LambdaWindowElements = p.LambdaWindowElements,
            LambdaThresholdSeconds = (int)p.LambdaThreshold.TotalSeconds,
            RedisThreshold = p.RedisThreshold,
            RedisUtilizationSeconds = (int)p.RedisUtilization.TotalSeconds,
            RedisCheckIntervalSeconds = (int)p.RedisCheckInterval.TotalSeconds,
        };
    }
}
