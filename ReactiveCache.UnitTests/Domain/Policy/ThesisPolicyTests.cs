using Microsoft.Extensions.Time.Testing;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Policy.Thesis;
using ReactiveCache.Core.Routing;
using ReactiveCache.Domain;

namespace ReactiveCache.UnitTests.Domain.Policy;

/// <summary>ThesisPolicy, transition by transition (docs/thesis.md §2, objectManager/processing.go + state.go).</summary>
public sealed partial class ThesisPolicyTests
{
    private const string Key = "index.html";

    // rate 3, sensitivity 4: TICK 16 s, lambdaThreshold 32 s, redisThreshold 4, redisUtilization 180 s.
    private static readonly PolicyParameters Parameters = PolicyConfigurator.Derive(3, 4);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2022, 2, 16, 12, 0, 0, TimeSpan.Zero));
    private readonly ThesisPolicy _policy;
    private readonly List<PolicyCommand> _commands = [];

    public ThesisPolicyTests() => _policy = new ThesisPolicy(Parameters, _time);

    [Fact]
    public void First_request_stays_on_S3()
    {
        Assert.Empty(Request());
        Assert.Equal(ObjectState.S3, _policy.StateOf(Key));
    }

    [Fact]
    public void Two_requests_less_than_lambdaThreshold_apart_invoke_a_function()
    {
        Request();
        _time.Advance(TimeSpan.FromSeconds(31));
        var commands = Request();
        Assert.Equal([PolicyCommand.InvokeFunction(Key, TimeSpan.FromSeconds(16))], commands);
        Assert.Equal(ObjectState.Lambda, _policy.StateOf(Key));
    }

    [Fact]
    public void Two_requests_exactly_lambdaThreshold_apart_do_not()
    {
        Request();
        _time.Advance(TimeSpan.FromSeconds(32));
        Assert.Empty(Request());
        Assert.Equal(ObjectState.S3, _policy.StateOf(Key));
    }

    [Fact]
    public void Function_ready_routes_to_lambda_and_its_end_returns_to_S3_with_count_reset()
    {
        ToLambda();
        Assert.Equal([PolicyCommand.SetRoute(Key, CacheLayer.Lambda)], Handle(PolicyEvent.FunctionReady(Key, _time.GetUtcNow())));
        Request(CacheLayer.Lambda);
        Assert.Equal(1, _policy.Find(Key)!.LambdaCount);
        Assert.Equal([PolicyCommand.RemoveRoute(Key)], Handle(PolicyEvent.FunctionEnded(Key, _time.GetUtcNow())));
        Assert.Equal(ObjectState.S3, _policy.StateOf(Key));
        Assert.Equal(0, _policy.Find(Key)!.LambdaCount);
    }

    [Fact]
    public void Fifth_event_in_Lambda_state_keeps_the_function_running_and_starts_the_node()
    {
        ToLambda();
        for (int i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(100)); // the code counts every event, however far apart
            Assert.Empty(Request(CacheLayer.S3));
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([PolicyCommand.KeepRunning(Key), PolicyCommand.StartNode()], Request());
        Assert.Equal(ObjectState.RedisBootup, _policy.StateOf(Key));
        Assert.Equal(NodeState.Booting, _policy.Node);
    }

    [Fact]
    public void Node_ready_loads_the_object_and_loaded_switches_route_and_shuts_the_function_down()
    {
        ToBootup();
        Assert.Equal([PolicyCommand.LoadObject(Key)], Handle(PolicyEvent.NodeReady(_time.GetUtcNow())));
        Assert.Equal(
            [PolicyCommand.SetRoute(Key, CacheLayer.Redis), PolicyCommand.ShutdownFunction(Key)],
            Handle(PolicyEvent.ObjectLoaded(Key, _time.GetUtcNow())));
        Assert.Equal(ObjectState.RedisRunning, _policy.StateOf(Key));
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(1), _policy.NextDueAt);
    }

    [Fact]
    public void Requests_in_RedisBootup_and_RedisRunning_change_nothing()
    {
        ToBootup();
        Assert.Empty(Request());
        ToRunning();
        Assert.Empty(Request(CacheLayer.Redis));
        Assert.Equal(ObjectState.RedisRunning, _policy.StateOf(Key));
    }

    [Fact]
    public void Minute_check_keeps_the_node_while_now_minus_oldest_of_last_five_is_within_utilization()
    {
        ToRunning();
        // the last five timestamps span ~80 s and the first check is 60 s after loading: the oldest is < 180 s old.
        var firstCheck = _policy.NextDueAt!.Value;
        _time.SetUtcNow(firstCheck);
        Assert.Empty(Due());
        Assert.Equal(ObjectState.RedisRunning, _policy.StateOf(Key));
        Assert.Equal(firstCheck + TimeSpan.FromMinutes(1), _policy.NextDueAt);
    }

    [Fact]
    public void Minute_check_stops_the_node_when_now_minus_oldest_exceeds_utilization()
    {
        ToRunning();
        var oldest = _policy.Find(Key)!.Timestamps.Oldest;
        // advance minute by minute until now − oldest > 180 s
        List<PolicyCommand> commands;
        do
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            commands = Due();
        }
        while (commands.Count == 0);
        Assert.True(_time.GetUtcNow() - oldest > TimeSpan.FromSeconds(180));
        Assert.True(_time.GetUtcNow() - TimeSpan.FromMinutes(1) - oldest <= TimeSpan.FromSeconds(180));
        Assert.Equal([PolicyCommand.RemoveRoute(Key), PolicyCommand.DrainGateways(), PolicyCommand.StopNode()], commands);
        Assert.Equal(ObjectState.RedisShutdown, _policy.StateOf(Key));
        Assert.Equal(NodeState.Stopping, _policy.Node);
        Assert.Null(_policy.NextDueAt);
    }

    [Fact]
    public void RedisShutdown_goes_to_S3_when_the_node_has_stopped()
    {
        ToShutdown();
        Assert.Empty(Handle(PolicyEvent.NodeStopped(_time.GetUtcNow())));
        Assert.Equal(ObjectState.S3, _policy.StateOf(Key));
        Assert.Equal(NodeState.Stopped, _policy.Node);
    }

    [Fact]
    public void RedisShutdown_with_lambdaThreshold_invokes_a_restricted_function_that_may_not_start_the_node()
    {
        ToShutdown();
        Request();
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal([PolicyCommand.InvokeFunction(Key, TimeSpan.FromSeconds(16))], Request());
        Assert.Equal(ObjectState.RestrictedLambda, _policy.StateOf(Key));
        for (int i = 0; i < 6; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(2));
            Assert.Empty(Request(CacheLayer.Lambda));
        }

        Assert.Equal(6, _policy.Find(Key)!.LambdaCount);
        Assert.Equal(ObjectState.RestrictedLambda, _policy.StateOf(Key));
    }

    [Fact]
    public void RestrictedLambda_returns_to_RedisShutdown_when_its_function_ends()
    {
        ToRestricted();
        Handle(PolicyEvent.FunctionEnded(Key, _time.GetUtcNow()));
        Assert.Equal(ObjectState.RedisShutdown, _policy.StateOf(Key));
        Assert.Equal(0, _policy.Find(Key)!.LambdaCount);
    }

    [Fact]
    public void RestrictedLambda_becomes_Lambda_with_count_carried_over_when_the_node_stops()
    {
        ToRestricted();
        for (int i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            Request(CacheLayer.Lambda);
        }

        Handle(PolicyEvent.NodeStopped(_time.GetUtcNow()));
        Assert.Equal(ObjectState.Lambda, _policy.StateOf(Key));
        Assert.Equal(5, _policy.Find(Key)!.LambdaCount);

        // the next event pushes the carried count over the threshold: the node starts again at once
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([PolicyCommand.KeepRunning(Key), PolicyCommand.StartNode()], Request(CacheLayer.Lambda));
    }

    [Fact]
    public void Two_keys_share_one_node_and_it_stops_only_when_the_last_one_leaves()
    {
        ToRunning();
        const string other = "other.bin";
        // the second key turns hot while the node runs: it is loaded straight away, no second start
        RequestFor(other);
        _time.Advance(TimeSpan.FromSeconds(1));
        RequestFor(other);
        for (int i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            RequestFor(other);
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([PolicyCommand.KeepRunning(other), PolicyCommand.LoadObject(other)], RequestFor(other));
        Handle(PolicyEvent.ObjectLoaded(other, _time.GetUtcNow()));
        Assert.Equal(ObjectState.RedisRunning, _policy.StateOf(other));

        // keep `other` busy; `index.html` goes quiet and leaves without stopping the node
        List<PolicyCommand> commands = [];
        while (_policy.StateOf(Key) == ObjectState.RedisRunning)
        {
            _time.Advance(TimeSpan.FromSeconds(20));
            RequestFor(other, CacheLayer.Redis);
            if (_policy.NextDueAt <= _time.GetUtcNow())
            {
                commands = Due();
            }
        }

        Assert.Equal([PolicyCommand.RemoveRoute(Key), PolicyCommand.EvictObject(Key)], commands);
        Assert.Equal(ObjectState.S3, _policy.StateOf(Key));
        Assert.Equal(NodeState.Running, _policy.Node);
    }

    private List<PolicyCommand> Request(CacheLayer servedBy = CacheLayer.S3) => RequestFor(Key, servedBy);

    private List<PolicyCommand> RequestFor(string key, CacheLayer servedBy = CacheLayer.S3) =>
        Handle(PolicyEvent.RequestReceived(key, _time.GetUtcNow(), servedBy));

    private List<PolicyCommand> Handle(PolicyEvent e)
    {
        _commands.Clear();
        _policy.Handle(e, _commands);
        return [.. _commands];
    }

    private List<PolicyCommand> Due()
    {
        _commands.Clear();
        _policy.OnDue(_commands);
        return [.. _commands];
    }

    private void ToLambda()
    {
        Request();
        _time.Advance(TimeSpan.FromSeconds(10));
        Request();
        Assert.Equal(ObjectState.Lambda, _policy.StateOf(Key));
    }

    private void ToBootup()
    {
        ToLambda();
        Handle(PolicyEvent.FunctionReady(Key, _time.GetUtcNow()));
        for (int i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(20));
            Request(CacheLayer.Lambda);
        }

        Assert.Equal(ObjectState.RedisBootup, _policy.StateOf(Key));
    }

    private void ToRunning()
    {
        if (_policy.StateOf(Key) != ObjectState.RedisBootup)
        {
            ToBootup();
        }

        _time.Advance(TimeSpan.FromSeconds(30));
        Handle(PolicyEvent.NodeReady(_time.GetUtcNow()));
        Handle(PolicyEvent.ObjectLoaded(Key, _time.GetUtcNow()));
        Assert.Equal(ObjectState.RedisRunning, _policy.StateOf(Key));

        // the shut-down function returns: its count is reset (state.go LambdaReturnedLocked), the state stays
        _time.Advance(TimeSpan.FromMilliseconds(50));
        Handle(PolicyEvent.FunctionEnded(Key, _time.GetUtcNow()));
        Assert.Equal(0, _policy.Find(Key)!.LambdaCount);
        Assert.Equal(ObjectState.RedisRunning, _policy.StateOf(Key));
    }

    private void ToShutdown()
    {
        ToRunning();
        while (_policy.StateOf(Key) == ObjectState.RedisRunning)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            Due();
        }

        Assert.Equal(ObjectState.RedisShutdown, _policy.StateOf(Key));
    }

    private void ToRestricted()
    {
        ToShutdown();
        Request();
        _time.Advance(TimeSpan.FromSeconds(5));
        Request();
        Handle(PolicyEvent.FunctionReady(Key, _time.GetUtcNow()));
        Assert.Equal(ObjectState.RestrictedLambda, _policy.StateOf(Key));
    }
}
