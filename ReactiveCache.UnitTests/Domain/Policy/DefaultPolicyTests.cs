using Microsoft.Extensions.Time.Testing;
using ReactiveCache.Domain.Costs;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Policy.Default;
using ReactiveCache.Core.Routing;
using ReactiveCache.Domain;

namespace ReactiveCache.UnitTests.Domain.Policy;

public sealed class DefaultPolicyTests
{
    private const string Key = "index.html";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2022, 2, 16, 12, 0, 0, TimeSpan.Zero));
    private readonly List<PolicyCommand> _commands = [];
    private readonly DefaultPolicySettings _settings = DefaultPolicySettings.FromSensitivity(4);
    private readonly DefaultPolicy _policy;

    public DefaultPolicyTests() => _policy = new DefaultPolicy(_settings, _time);

    [Fact]
    public void Break_even_start_gap_follows_the_price_table()
    {
        // hot when (60 s / gap) × value ≥ 60 s × node price  ⇔  gap ≤ value / node price per second
        double breakEven = _settings.ValuePerHitUsd / _settings.NodePerSecond;
        Request();
        _time.Advance(TimeSpan.FromSeconds(breakEven + 1));
        Assert.Empty(Request());
        _time.Advance(TimeSpan.FromSeconds(breakEven - 1));
        Assert.Equal([PolicyCommand.StartNode()], Request());
        Assert.Equal(ObjectState.RedisBootup, _policy.StateOf(Key));
    }

    [Fact]
    public void Value_per_hit_grows_with_sensitivity_and_prices_come_from_the_table()
    {
        var low = DefaultPolicySettings.FromSensitivity(1);
        var high = DefaultPolicySettings.FromSensitivity(5, PriceTable.UsEast1);
        Assert.True(high.ValuePerHitUsd > low.ValuePerHitUsd);
        Assert.Equal(0.0116 / 3600, high.NodePerSecond, 12);
    }

    [Fact]
    public void Dense_requests_bridge_the_boot_with_a_held_function()
    {
        // 0.2 s apart: ~150 hits expected during a 30 s boot, worth more than a function living 30 s
        Request();
        _time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(
            [PolicyCommand.InvokeFunction(Key, _settings.BridgeTick), PolicyCommand.KeepRunning(Key), PolicyCommand.StartNode()],
            Request());
        Assert.Equal([PolicyCommand.SetRoute(Key, CacheLayer.Lambda)], Handle(PolicyEvent.FunctionReady(Key, _time.GetUtcNow())));
        Handle(PolicyEvent.NodeReady(_time.GetUtcNow()));
        Assert.Equal(
            [PolicyCommand.SetRoute(Key, CacheLayer.Redis), PolicyCommand.ShutdownFunction(Key)],
            Handle(PolicyEvent.ObjectLoaded(Key, _time.GetUtcNow())));
    }

    [Fact]
    public void Sparse_hot_key_goes_to_the_node_without_a_function()
    {
        Request();
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal([PolicyCommand.StartNode()], Request());
    }

    [Fact]
    public void Loaded_key_is_routed_to_the_node_and_leaves_after_its_idle_allowance()
    {
        ToRunning();
        var leaveAt = _policy.NextDueAt!.Value;
        var allowance = _policy.IdleAllowance(_policy.Find(Key)!);
        Assert.Equal(_time.GetUtcNow() + allowance, leaveAt);
        _time.SetUtcNow(leaveAt - TimeSpan.FromSeconds(1));
        Assert.Empty(Due());
        _time.SetUtcNow(leaveAt);
        Assert.Equal([PolicyCommand.RemoveRoute(Key), PolicyCommand.DrainGateways(), PolicyCommand.StopNode()], Due());
        Assert.Equal(ObjectState.S3, _policy.StateOf(Key));
        Assert.Equal(NodeState.Stopping, _policy.Node);
    }

    [Fact]
    public void A_request_on_the_node_restarts_its_idle_allowance_at_the_measured_rate()
    {
        ToRunning();
        _time.Advance(TimeSpan.FromSeconds(10));
        Request(CacheLayer.Redis);
        var o = _policy.Find(Key)!;
        Assert.Equal(_time.GetUtcNow() + _policy.IdleAllowance(o), o.LeaveAt);
        Assert.True(_policy.NextDueAt <= o.LeaveAt);
        Assert.Equal(TimeSpan.FromSeconds(30), o.ShortRunGap); // 0, 20, 60 s
        Assert.Equal(TimeSpan.FromSeconds(22), o.LongRunGap);  // 20 then 40, weighted 0.9 / 0.1
    }

    [Fact]
    public void A_key_hot_while_the_node_stops_waits_and_restarts_it()
    {
        ToRunning();
        _time.SetUtcNow(_policy.NextDueAt!.Value);
        Due();
        Request();
        _time.Advance(TimeSpan.FromSeconds(1));
        var commands = Request();
        Assert.DoesNotContain(PolicyCommand.StartNode(), commands);
        Assert.Equal(ObjectState.RedisBootup, _policy.StateOf(Key));
        Assert.Equal([PolicyCommand.StartNode()], Handle(PolicyEvent.NodeStopped(_time.GetUtcNow())));
    }

    [Fact]
    public void Two_keys_share_the_node_and_the_first_to_leave_is_only_evicted()
    {
        ToRunning();
        _commands.Clear();
        _policy.Handle(PolicyEvent.RequestReceived("b", _time.GetUtcNow(), CacheLayer.S3), _commands);
        _time.Advance(TimeSpan.FromSeconds(2));
        _commands.Clear();
        _policy.Handle(PolicyEvent.RequestReceived("b", _time.GetUtcNow(), CacheLayer.S3), _commands);
        Assert.Contains(PolicyCommand.LoadObject("b"), _commands);
        Handle(PolicyEvent.ObjectLoaded("b", _time.GetUtcNow()));
        Assert.Equal(ObjectState.RedisRunning, _policy.StateOf("b"));

        // keep b busy until index.html leaves
        List<PolicyCommand> left = [];
        while (_policy.StateOf(Key) == ObjectState.RedisRunning)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            _commands.Clear();
            _policy.Handle(PolicyEvent.RequestReceived("b", _time.GetUtcNow(), CacheLayer.Redis), _commands);
            if (_policy.NextDueAt <= _time.GetUtcNow())
            {
                left = Due();
            }
        }

        Assert.Equal([PolicyCommand.RemoveRoute(Key), PolicyCommand.EvictObject(Key)], left);
        Assert.Equal(NodeState.Running, _policy.Node);
    }

    private void ToRunning()
    {
        Request();
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal([PolicyCommand.StartNode()], Request());
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal([PolicyCommand.LoadObject(Key)], Handle(PolicyEvent.NodeReady(_time.GetUtcNow())));
        Assert.Equal([PolicyCommand.SetRoute(Key, CacheLayer.Redis)], Handle(PolicyEvent.ObjectLoaded(Key, _time.GetUtcNow())));
        Assert.Equal(ObjectState.RedisRunning, _policy.StateOf(Key));
    }

    private List<PolicyCommand> Request(CacheLayer servedBy = CacheLayer.S3) =>
        Handle(PolicyEvent.RequestReceived(Key, _time.GetUtcNow(), servedBy));

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
}
