using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;

namespace ReactiveCache.UnitTests.Domain.Policy;

/// <summary>
/// ThesisPolicy beyond the thesis: failed boots, loads and stops, a lost node, pins, changed objects and a
/// restarted orchestrator (the rules shared with the other policies: <see cref="NodeFailureRules"/>, <see cref="KeyPins"/>).
/// </summary>
public sealed partial class ThesisPolicyTests
{
    private const string Other = "other.bin";

    [Fact]
    public void A_failed_load_sends_the_key_back_to_S3_releases_its_function_and_stops_the_idle_node()
    {
        ToBootup();
        Handle(PolicyEvent.FunctionReady(Key, _time.GetUtcNow()));
        Handle(PolicyEvent.NodeReady(_time.GetUtcNow()));

        var commands = Handle(PolicyEvent.NodeCommandFailed(PolicyCommandKind.LoadObject, Key, _time.GetUtcNow()));

        Assert.Equal([PolicyCommand.ShutdownFunction(Key), PolicyCommand.RemoveRoute(Key), PolicyCommand.DrainGateways(), PolicyCommand.StopNode()], commands);
        Assert.Equal(ObjectState.S3, _policy.StateOf(Key));
        Assert.Equal(NodeState.Stopping, _policy.Node);
    }

    [Fact]
    public void A_failed_load_keeps_the_node_for_the_keys_still_on_it()
    {
        ToRunning();
        ToBootupOnRunningNode(Other);

        var commands = Handle(PolicyEvent.NodeCommandFailed(PolicyCommandKind.LoadObject, Other, _time.GetUtcNow()));

        Assert.Equal([PolicyCommand.ShutdownFunction(Other), PolicyCommand.RemoveRoute(Other)], commands);
        Assert.Equal(ObjectState.S3, _policy.StateOf(Other));
        Assert.Equal(ObjectState.RedisRunning, _policy.StateOf(Key));
        Assert.Equal(NodeState.Running, _policy.Node);
    }

    [Fact]
    public void A_failed_boot_sends_the_waiting_keys_back_to_S3_and_the_next_boot_waits_for_a_doubling_backoff()
    {
        ToBootup();
        Handle(PolicyEvent.FunctionReady(Key, _time.GetUtcNow()));

        Assert.Equal([PolicyCommand.ShutdownFunction(Key), PolicyCommand.RemoveRoute(Key)],
            Handle(PolicyEvent.NodeCommandFailed(PolicyCommandKind.StartNode, "", _time.GetUtcNow())));
        Assert.Equal(ObjectState.S3, _policy.StateOf(Key));
        Assert.Equal(NodeState.Stopped, _policy.Node);
        var firstWait = _policy.Failures.BootAllowedAt!.Value - _time.GetUtcNow();
        Assert.Equal(NodeFailureSettings.Default.RetryDelay, firstWait);

        // Demand right away: a function again, but no boot (and no function held for one) before the backoff ends.
        Handle(PolicyEvent.FunctionEnded(Key, _time.GetUtcNow()));
        ToLambdaAgain();
        for (var i = 0; i < 6; i++)
        {
            Assert.Empty(Request(CacheLayer.Lambda));
        }

        _time.Advance(firstWait);
        Assert.Equal([PolicyCommand.KeepRunning(Key), PolicyCommand.StartNode()], Request(CacheLayer.Lambda));

        // The second failure waits twice as long; the waits never pass the cap.
        Handle(PolicyEvent.NodeCommandFailed(PolicyCommandKind.StartNode, "", _time.GetUtcNow()));
        Assert.Equal(2 * firstWait, _policy.Failures.BootAllowedAt!.Value - _time.GetUtcNow());
        for (var i = 0; i < 20; i++)
        {
            _policy.Failures.BootFailed(_time.GetUtcNow());
        }

        Assert.Equal(NodeFailureSettings.Default.MaxRetryDelay, _policy.Failures.BootAllowedAt!.Value - _time.GetUtcNow());

        // A node that comes up resets the backoff.
        _policy.Failures.NodeReady();
        Assert.True(_policy.Failures.MayStartNode(_time.GetUtcNow()));
    }

    [Fact]
    public void A_failed_stop_is_retried_after_the_backoff_until_the_node_has_stopped()
    {
        ToShutdown();
        Assert.Equal(NodeState.Stopping, _policy.Node);
        Assert.Null(_policy.NextDueAt);

        Assert.Empty(Handle(PolicyEvent.NodeCommandFailed(PolicyCommandKind.StopNode, "", _time.GetUtcNow())));
        Assert.Equal(_time.GetUtcNow() + NodeFailureSettings.Default.RetryDelay, _policy.NextDueAt);
        Assert.Empty(Due());

        _time.Advance(NodeFailureSettings.Default.RetryDelay);
        Assert.Equal([PolicyCommand.DrainGateways(), PolicyCommand.StopNode()], Due());
        Assert.Null(_policy.NextDueAt);

        // Failing again waits twice as long; the stop, once it works, ends the retries.
        Handle(PolicyEvent.NodeCommandFailed(PolicyCommandKind.StopNode, "", _time.GetUtcNow()));
        Assert.Equal(_time.GetUtcNow() + (2 * NodeFailureSettings.Default.RetryDelay), _policy.NextDueAt);
        Handle(PolicyEvent.NodeStopped(_time.GetUtcNow()));
        Assert.Null(_policy.NextDueAt);
        Assert.Equal(ObjectState.S3, _policy.StateOf(Key));
    }

    [Fact]
    public void A_lost_node_sends_every_key_on_it_back_to_S3_and_demand_starts_it_again_after_the_backoff()
    {
        ToRunning();

        Assert.Equal([PolicyCommand.RemoveRoute(Key)], Handle(PolicyEvent.NodeLost(_time.GetUtcNow())));
        Assert.Equal(ObjectState.S3, _policy.StateOf(Key));
        Assert.Equal(NodeState.Stopped, _policy.Node);
        Assert.Null(_policy.NextDueAt);

        _time.Advance(NodeFailureSettings.Default.RetryDelay);
        ToLambdaAgain();
        Handle(PolicyEvent.FunctionReady(Key, _time.GetUtcNow()));
        List<PolicyCommand> commands;
        do
        {
            commands = Request(CacheLayer.Lambda);
        }
        while (commands.Count == 0);
        Assert.Equal([PolicyCommand.KeepRunning(Key), PolicyCommand.StartNode()], commands);
    }

    [Fact]
    public void A_pinned_key_leaves_the_policy_which_then_ignores_it_until_the_pin_ends()
    {
        ToRunning();

        var commands = Handle(PolicyEvent.KeyPinned(Key, CacheLayer.Lambda, _time.GetUtcNow()));

        Assert.Equal([PolicyCommand.RemoveRoute(Key), PolicyCommand.EvictObject(Key), PolicyCommand.DrainGateways(), PolicyCommand.StopNode()], commands);
        Assert.Equal(ObjectState.S3, _policy.StateOf(Key));
        Assert.Null(_policy.NextDueAt);
        for (var i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.Empty(Request(CacheLayer.Lambda));
        }

        Assert.Empty(Handle(PolicyEvent.FunctionReady(Key, _time.GetUtcNow())));
        Assert.Equal(ObjectState.S3, _policy.StateOf(Key));

        // Unpinned: the policy takes the key up from S3, as it would any key.
        Handle(PolicyEvent.NodeStopped(_time.GetUtcNow()));
        Assert.Empty(Handle(PolicyEvent.KeyUnpinned(Key, _time.GetUtcNow())));
        Request();
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([PolicyCommand.InvokeFunction(Key, Parameters.Tick)], Request());
    }

    [Fact]
    public void A_key_pinned_to_the_node_starts_it_and_keeps_it_up_after_the_policy_keys_left_until_unpinned()
    {
        Assert.Equal([PolicyCommand.StartNode()], Handle(PolicyEvent.KeyPinned(Other, CacheLayer.Redis, _time.GetUtcNow())));
        Assert.Empty(Handle(PolicyEvent.NodeReady(_time.GetUtcNow())));
        Assert.Equal(NodeState.Running, _policy.Node);

        // A policy key comes and goes: the node stays for the pin.
        ToBootup();
        Handle(PolicyEvent.ObjectLoaded(Key, _time.GetUtcNow()));
        Assert.Equal(ObjectState.RedisRunning, _policy.StateOf(Key));
        List<PolicyCommand> commands = [];
        while (_policy.StateOf(Key) == ObjectState.RedisRunning)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            commands = Due();
        }

        Assert.Equal([PolicyCommand.RemoveRoute(Key), PolicyCommand.EvictObject(Key)], commands);
        Assert.Equal(NodeState.Running, _policy.Node);

        Assert.Equal([PolicyCommand.DrainGateways(), PolicyCommand.StopNode()], Handle(PolicyEvent.KeyUnpinned(Other, _time.GetUtcNow())));
        Assert.Equal(NodeState.Stopping, _policy.Node);
    }

    [Fact]
    public void A_changed_object_leaves_every_layer_at_once()
    {
        ToLambda();
        Handle(PolicyEvent.FunctionReady(Key, _time.GetUtcNow()));
        Assert.Equal([PolicyCommand.ShutdownFunction(Key), PolicyCommand.RemoveRoute(Key)], Handle(PolicyEvent.ObjectChanged(Key, _time.GetUtcNow())));
        Assert.Equal(ObjectState.S3, _policy.StateOf(Key));
        Handle(PolicyEvent.FunctionEnded(Key, _time.GetUtcNow()));

        ToBootup();
        ToRunning();
        Assert.Equal([PolicyCommand.RemoveRoute(Key), PolicyCommand.EvictObject(Key), PolicyCommand.DrainGateways(), PolicyCommand.StopNode()],
            Handle(PolicyEvent.ObjectChanged(Key, _time.GetUtcNow())));
        Assert.Equal(ObjectState.S3, _policy.StateOf(Key));
    }

    [Fact]
    public void Keys_restored_after_a_restart_take_the_state_of_their_layer_and_leave_as_usual()
    {
        Assert.Empty(Handle(PolicyEvent.KeyRestored(Key, CacheLayer.Redis, _time.GetUtcNow())));
        Assert.Empty(Handle(PolicyEvent.KeyRestored(Other, CacheLayer.Lambda, _time.GetUtcNow())));
        Assert.Equal(ObjectState.RedisRunning, _policy.StateOf(Key));
        Assert.Equal(ObjectState.Lambda, _policy.StateOf(Other));
        Assert.Equal(NodeState.Running, _policy.Node);

        // The restored function ends on its own: the key goes back to S3; no second function was started meanwhile.
        for (var i = 0; i < 3; i++)
        {
            Assert.Empty(RequestFor(Other, CacheLayer.Lambda));
        }

        Assert.Equal([PolicyCommand.RemoveRoute(Other)], Handle(PolicyEvent.FunctionEnded(Other, _time.GetUtcNow())));

        // Without requests the restored node key leaves at a node check, and the node stops.
        List<PolicyCommand> commands = [];
        while (_policy.StateOf(Key) == ObjectState.RedisRunning)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            commands = Due();
        }

        Assert.Equal([PolicyCommand.RemoveRoute(Key), PolicyCommand.DrainGateways(), PolicyCommand.StopNode()], commands);
    }

    [Fact]
    public void A_function_the_policy_did_not_ask_for_is_not_routed_to()
    {
        Request();
        Assert.Empty(Handle(PolicyEvent.FunctionReady(Key, _time.GetUtcNow())));
        Assert.Empty(Handle(PolicyEvent.FunctionEnded(Key, _time.GetUtcNow())));
        Assert.Equal(ObjectState.S3, _policy.StateOf(Key));
    }

    private void ToLambdaAgain()
    {
        Request();
        _time.Advance(TimeSpan.FromSeconds(1));
        Request();
        Assert.Equal(ObjectState.Lambda, _policy.StateOf(Key));
    }

    /// <summary>Walks <paramref name="key"/> to RedisBootup while the node runs (its load is asked for).</summary>
    private void ToBootupOnRunningNode(string key)
    {
        RequestFor(key);
        _time.Advance(TimeSpan.FromSeconds(1));
        RequestFor(key);
        Handle(PolicyEvent.FunctionReady(key, _time.GetUtcNow()));
        List<PolicyCommand> commands;
        do
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            commands = RequestFor(key, CacheLayer.Lambda);
        }
        while (commands.Count == 0);
        Assert.Equal([PolicyCommand.KeepRunning(key), PolicyCommand.LoadObject(key)], commands);
    }
}
