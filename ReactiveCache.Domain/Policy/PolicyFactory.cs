using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Policy.Default;
using ReactiveCache.Domain.Policy.Thesis;

namespace ReactiveCache.Domain.Policy;

/// <summary>Builds the configured policy on a clock (the orchestrator's, or the simulator's virtual one).</summary>
public static class PolicyFactory
{
    /// <summary>The policy <paramref name="options"/> name; the default policy decides with <paramref name="startup"/>, else with the options' start-up model.</summary>
    public static ICachePolicy Create(PolicyOptions options, TimeProvider time, Costs.PriceTable? prices = null, Simulation.StartupModel? startup = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Kind switch
        {
            PolicyKind.Thesis => new ThesisPolicy(options.ToParameters(), time, maxTrackedKeys: options.MaxTrackedKeys),
            PolicyKind.Default => new DefaultPolicy(DefaultPolicySettings.FromSensitivity(options.Sensitivity, prices, startup ?? options.Startup), time),
            PolicyKind.AlwaysOn => new AlwaysOnPolicy(time),
            PolicyKind.S3Only => new S3OnlyPolicy(),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "Unknown policy kind."),
        };
    }
}
