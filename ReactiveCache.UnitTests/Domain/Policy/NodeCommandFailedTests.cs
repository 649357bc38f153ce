using Microsoft.Extensions.Time.Testing;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Policy.Configuration;

namespace ReactiveCache.UnitTests.Domain.Policy;

/// <summary>Every policy hears every kind of failure and fault event without throwing, whatever state it is in.</summary>
public sealed class NodeCommandFailedTests
{
    [Theory]
    [InlineData(PolicyKind.Thesis)]
    [InlineData(PolicyKind.Default)]
    [InlineData(PolicyKind.AlwaysOn)]
    [InlineData(PolicyKind.S3Only)]
    public void Every_policy_hears_failed_node_commands_and_fault_events_without_throwing(PolicyKind kind)
    {
        var time = new FakeTimeProvider();
        var policy = PolicyFactory.Create(new PolicyOptions { Kind = kind }, time);
        var commands = new List<PolicyCommand>();
        policy.Handle(PolicyEvent.RequestReceived("a", time.GetUtcNow(), CacheLayer.S3), commands);

        foreach (var command in Enum.GetValues<PolicyCommandKind>())
        {
            policy.Handle(PolicyEvent.NodeCommandFailed(command, command == PolicyCommandKind.LoadObject ? "a" : "", time.GetUtcNow()), commands);
        }

        policy.Handle(PolicyEvent.NodeLost(time.GetUtcNow()), commands);
        policy.Handle(PolicyEvent.ObjectChanged("a", time.GetUtcNow()), commands);
        policy.Handle(PolicyEvent.KeyPinned("a", CacheLayer.Lambda, time.GetUtcNow()), commands);
        policy.Handle(PolicyEvent.RequestReceived("a", time.GetUtcNow(), CacheLayer.Lambda), commands);
        policy.Handle(PolicyEvent.KeyUnpinned("a", time.GetUtcNow()), commands);
        policy.Handle(PolicyEvent.KeyRestored("b", CacheLayer.Lambda, time.GetUtcNow()), commands);
        policy.OnDue(commands);

        Assert.DoesNotContain(commands, c => c.Kind == PolicyCommandKind.StartNode && kind == PolicyKind.S3Only);
    }
}
