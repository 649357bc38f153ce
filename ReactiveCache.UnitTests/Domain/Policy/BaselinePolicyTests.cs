using Microsoft.Extensions.Time.Testing;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Core.Routing;
using ReactiveCache.Domain;

namespace ReactiveCache.UnitTests.Domain.Policy;

public sealed class BaselinePolicyTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void AlwaysOn_starts_the_node_once_and_loads_every_key_on_first_use()
    {
        var policy = PolicyFactory.Create(new PolicyOptions { Kind = PolicyKind.AlwaysOn }, _time);
        var c = new List<PolicyCommand>();
        policy.Handle(PolicyEvent.RequestReceived("a", _time.GetUtcNow(), CacheLayer.S3), c);
        policy.Handle(PolicyEvent.RequestReceived("b", _time.GetUtcNow(), CacheLayer.S3), c);
        Assert.Equal([PolicyCommand.StartNode()], c);
        c.Clear();
        policy.Handle(PolicyEvent.NodeReady(_time.GetUtcNow()), c);
        Assert.Equal([PolicyCommand.LoadObject("a"), PolicyCommand.LoadObject("b")], c);
        c.Clear();
        policy.Handle(PolicyEvent.ObjectLoaded("a", _time.GetUtcNow()), c);
        policy.Handle(PolicyEvent.RequestReceived("c", _time.GetUtcNow(), CacheLayer.S3), c);
        Assert.Equal([PolicyCommand.SetRoute("a", CacheLayer.Redis), PolicyCommand.LoadObject("c")], c);
        Assert.Null(policy.NextDueAt);
    }

    [Fact]
    public void S3Only_never_commands_anything()
    {
        var policy = PolicyFactory.Create(new PolicyOptions { Kind = PolicyKind.S3Only }, _time);
        var c = new List<PolicyCommand>();
        for (int i = 0; i < 10; i++)
        {
            policy.Handle(PolicyEvent.RequestReceived("a", _time.GetUtcNow(), CacheLayer.S3), c);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Empty(c);
        Assert.Equal(ObjectState.S3, policy.StateOf("a"));
        Assert.Equal(["a"], policy.Keys);
    }

    [Theory]
    [InlineData(PolicyKind.Thesis, "thesis")]
    [InlineData(PolicyKind.Default, "default")]
    [InlineData(PolicyKind.AlwaysOn, "always-on")]
    [InlineData(PolicyKind.S3Only, "s3-only")]
    public void Factory_builds_each_kind(PolicyKind kind, string name) =>
        Assert.Equal(name, PolicyFactory.Create(new PolicyOptions { Kind = kind }, _time).Name);
}
