using Microsoft.Extensions.Time.Testing;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Policy.Configuration;

namespace ReactiveCache.UnitTests.Domain.Policy;

/// <summary>No policy reacts to a failed node command yet; none may throw on one either.</summary>
public sealed class NodeCommandFailedTests
{
    [Theory]
    [InlineData(PolicyKind.Thesis)]
    [InlineData(PolicyKind.Default)]
    [InlineData(PolicyKind.AlwaysOn)]
    [InlineData(PolicyKind.S3Only)]
    public void Every_policy_hears_a_failed_node_command_without_throwing(PolicyKind kind)
    {
        var time = new FakeTimeProvider();
        var policy = PolicyFactory.Create(new PolicyOptions { Kind = kind }, time);
        var commands = new List<PolicyCommand>();
        policy.Handle(PolicyEvent.RequestReceived("a", time.GetUtcNow(), CacheLayer.S3), commands);
        var state = policy.StateOf("a");
        commands.Clear();

        foreach (var command in Enum.GetValues<PolicyCommandKind>())
        {
            policy.Handle(PolicyEvent.NodeCommandFailed(command, command == PolicyCommandKind.LoadObject ? "a" : "", time.GetUtcNow()), commands);
        }

        Assert.Empty(commands);
        Assert.Equal(state, policy.StateOf("a"));
    }
}
