using Microsoft.Extensions.Time.Testing;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Policy.Thesis;

namespace ReactiveCache.UnitTests.Domain.Policy;

/// <summary>The thesis policy's per-key state stays bounded under a flood of distinct keys, and forgets nothing that matters.</summary>
public sealed class ThesisPolicyBoundsTests
{
    // rate 3, sensitivity 4: lambdaThreshold 32 s.
    private static readonly PolicyParameters Parameters = PolicyConfigurator.Derive(3, 4);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2022, 2, 16, 12, 0, 0, TimeSpan.Zero));
    private readonly List<PolicyCommand> _commands = [];

    [Fact]
    public void A_hundred_thousand_distinct_keys_requested_once_leave_at_most_the_capacity()
    {
        var policy = new ThesisPolicy(Parameters, _time, maxTrackedKeys: 1000);

        for (var i = 0; i < 100_000; i++)
        {
            policy.Handle(PolicyEvent.RequestReceived($"flood/{i}", _time.GetUtcNow(), CacheLayer.S3), _commands);
        }

        Assert.Empty(_commands);
        Assert.Equal(1000, policy.Keys.Count);
        Assert.Equal(99_000, policy.ForgottenKeys);
    }

    [Fact]
    public void A_hot_key_in_the_flood_still_gets_its_function()
    {
        var policy = new ThesisPolicy(Parameters, _time, maxTrackedKeys: 1000);
        policy.Handle(PolicyEvent.RequestReceived("hot", _time.GetUtcNow(), CacheLayer.S3), _commands);
        for (var i = 0; i < 500; i++)
        {
            policy.Handle(PolicyEvent.RequestReceived($"flood/{i}", _time.GetUtcNow(), CacheLayer.S3), _commands);
        }

        _time.Advance(TimeSpan.FromSeconds(10));
        policy.Handle(PolicyEvent.RequestReceived("hot", _time.GetUtcNow(), CacheLayer.S3), _commands);

        Assert.Equal([PolicyCommand.InvokeFunction("hot", Parameters.Tick)], _commands);
    }

    [Fact]
    public void A_key_with_a_function_running_is_not_forgotten_under_the_flood()
    {
        var policy = new ThesisPolicy(Parameters, _time, maxTrackedKeys: 100);
        policy.Handle(PolicyEvent.RequestReceived("busy", _time.GetUtcNow(), CacheLayer.S3), _commands);
        policy.Handle(PolicyEvent.RequestReceived("busy", _time.GetUtcNow(), CacheLayer.S3), _commands);
        Assert.Equal(ObjectState.Lambda, policy.StateOf("busy"));

        _time.Advance(TimeSpan.FromMinutes(5));
        for (var i = 0; i < 10_000; i++)
        {
            policy.Handle(PolicyEvent.RequestReceived($"flood/{i}", _time.GetUtcNow(), CacheLayer.S3), _commands);
        }

        Assert.Equal(ObjectState.Lambda, policy.StateOf("busy"));
        Assert.Equal(1, policy.Find("busy")!.FunctionsRunning);
        Assert.InRange(policy.Keys.Count, 100, 101);
    }

    [Fact]
    public void A_key_at_rest_is_forgotten_once_idle_for_twice_the_lambda_threshold()
    {
        var policy = new ThesisPolicy(Parameters, _time);
        policy.Handle(PolicyEvent.RequestReceived("quiet", _time.GetUtcNow(), CacheLayer.S3), _commands);

        _time.Advance(2 * Parameters.LambdaThreshold);
        policy.Handle(PolicyEvent.RequestReceived("other", _time.GetUtcNow(), CacheLayer.S3), _commands);

        Assert.Null(policy.Find("quiet"));
        Assert.Equal(["other"], policy.Keys);
    }
}
