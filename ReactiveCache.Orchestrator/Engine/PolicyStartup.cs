using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Simulation;
using ReactiveCache.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.Functions;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>
/// The start-up model the orchestrator gives its policy: the configured one (<c>Policy:Startup</c>, the simulator's
/// record and defaults), with what the orchestrator's own options already state: the function timeout it invokes
/// with, and for a local node the boot it imitates (<c>CacheNode:BootDelay</c>, a boot with no unbilled head).
/// </summary>
public static class PolicyStartup
{
    public static StartupModel From(PolicyOptions policy, CacheNodeOptions node, FunctionOptions function)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(function);
        var model = policy.Startup with { FunctionTimeoutSeconds = function.Timeout.TotalSeconds };
        if (node.Kind == CacheNodeKind.Local)
        {
            double boot = node.BootDelay.TotalSeconds;
            model = model with { NodeBootMinSeconds = boot, NodeBootMeanSeconds = boot, NodeBootMaxSeconds = boot, NodePendingSeconds = 0 };
        }

        return model;
    }
}
