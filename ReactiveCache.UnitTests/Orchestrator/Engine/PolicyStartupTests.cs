using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Simulation;
using ReactiveCache.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.Engine;
using ReactiveCache.Orchestrator.Functions;

namespace ReactiveCache.UnitTests.Orchestrator.Engine;

public sealed class PolicyStartupTests
{
    [Fact]
    public void An_ec2_node_keeps_the_configured_model_and_the_function_timeout_is_the_one_invoked_with()
    {
        var policy = new PolicyOptions { Startup = new StartupModel(NodeBootMeanSeconds: 45) };
        var model = PolicyStartup.From(policy, new CacheNodeOptions { Kind = CacheNodeKind.Ec2 }, new FunctionOptions { Timeout = TimeSpan.FromMinutes(2) });
        Assert.Equal(policy.Startup with { FunctionTimeoutSeconds = 120 }, model);
    }

    [Fact]
    public void A_local_node_boots_in_its_boot_delay_with_nothing_unbilled()
    {
        var model = PolicyStartup.From(new PolicyOptions(), new CacheNodeOptions { Kind = CacheNodeKind.Local, BootDelay = TimeSpan.FromSeconds(2) }, new FunctionOptions());
        Assert.Equal((2.0, 2.0, 2.0, 0.0), (model.NodeBootMinSeconds, model.NodeBootMeanSeconds, model.NodeBootMaxSeconds, model.NodePendingSeconds));
        Assert.Equal(new StartupModel().NodeStopSeconds, model.NodeStopSeconds);
        Assert.Equal(240, model.FunctionTimeoutSeconds);
    }
}
