using Microsoft.Extensions.Time.Testing;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Policy.Configuration;

namespace ReactiveCache.UnitTests.Domain.Policy;

/// <summary>
/// The rules every policy with per-key state shares (<see cref="NodeFailureRules"/>, <see cref="KeyPins"/>), checked on
/// each of them through what it commands: a failed boot or load, a lost node, a failed stop, pins. The engine is
/// imitated: a function is ready as soon as it is invoked and ends as soon as it is shut down; demand is one request
/// every half second.
/// </summary>
public sealed class PolicyFailureRulesTests
{
    private const string Key = "hot.bin";
    private const string Other = "other.bin";
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(500);
    private static readonly NodeFailureSettings Backoff = NodeFailureSettings.Default;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2022, 2, 16, 12, 0, 0, TimeSpan.Zero));
    private readonly Dictionary<string, CacheLayer> _routes = new(StringComparer.Ordinal);
    private ICachePolicy _policy = null!;
    private bool _loadsSucceed = true;

    public static TheoryData<PolicyKind> Policies => [PolicyKind.Thesis, PolicyKind.Default];

    [Theory]
    [MemberData(nameof(Policies))]
    public void A_failed_boot_sends_the_waiting_keys_off_the_node_and_the_next_boot_waits_for_a_backoff_that_doubles_up_to_its_cap(PolicyKind kind)
    {
        Create(kind);
        var expected = Backoff.RetryDelay;
        Demand(until: c => c.Contains(PolicyCommand.StartNode()));
        for (var failures = 1; failures <= 8; failures++)
        {
            var failedAt = _time.GetUtcNow();
            Handle(PolicyEvent.NodeCommandFailed(PolicyCommandKind.StartNode, "", failedAt));
            Assert.Equal(NodeState.Stopped, _policy.Node);
            Assert.NotEqual(ObjectState.RedisBootup, _policy.StateOf(Key));

            // demand goes on: the next boot comes at the first request after the backoff, not before
            Demand(until: c => c.Contains(PolicyCommand.StartNode()));
            var waited = _time.GetUtcNow() - failedAt;
            Assert.InRange(waited, expected, expected + Gap);
            expected = expected * 2 < Backoff.MaxRetryDelay ? expected * 2 : Backoff.MaxRetryDelay;
        }

        Assert.Equal(Backoff.MaxRetryDelay, expected);

        // a node that comes up resets the backoff: after its loss the next boot waits the first delay again
        ToRunning(startDemand: false);
        Assert.Equal(ObjectState.RedisRunning, _policy.StateOf(Key));
        var lostAt = _time.GetUtcNow();
        Handle(PolicyEvent.NodeLost(lostAt));
        Demand(until: c => c.Contains(PolicyCommand.StartNode()));
        Assert.InRange(_time.GetUtcNow() - lostAt, Backoff.RetryDelay, Backoff.RetryDelay + Gap);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void A_failed_load_takes_the_key_off_the_node_its_function_is_not_held_and_the_empty_node_stops(PolicyKind kind)
    {
        Create(kind);
        _loadsSucceed = false;
        Demand(until: c => c.Contains(PolicyCommand.StartNode()));
        Assert.Contains(PolicyCommand.LoadObject(Key), Handle(PolicyEvent.NodeReady(_time.GetUtcNow())));

        var silent = _time.GetUtcNow();
        var commands = Handle(PolicyEvent.NodeCommandFailed(PolicyCommandKind.LoadObject, Key, silent)).Select(c => (At: silent, Command: c)).ToList();

        Assert.DoesNotContain(_policy.StateOf(Key), new[] { ObjectState.RedisBootup, ObjectState.RedisRunning });
        Assert.NotEqual(CacheLayer.Redis, _routes.GetValueOrDefault(Key));
        var next = Request(Key);
        commands.AddRange(next.Select(c => (At: _time.GetUtcNow(), Command: c)));
        Assert.DoesNotContain(PolicyCommand.LoadObject(Key), next);

        // silence: the key's function is shut down well before its timeout, and the node, holding nothing, stops
        commands.AddRange(Silence(TimeSpan.FromHours(1)));
        var shutdown = commands.FindIndex(c => c.Command == PolicyCommand.ShutdownFunction(Key));
        Assert.True(shutdown >= 0, "the key's function was never shut down");
        Assert.True(commands[shutdown].At - silent < TimeSpan.FromMinutes(4), $"function held until {commands[shutdown].At - silent}");
        Assert.Contains(commands, c => c.Command == PolicyCommand.StopNode());
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void A_lost_node_sends_its_keys_back_and_demand_restarts_it_after_the_backoff(PolicyKind kind)
    {
        Create(kind);
        ToRunning();
        Assert.Equal(ObjectState.RedisRunning, _policy.StateOf(Key));

        var lostAt = _time.GetUtcNow();
        Assert.Contains(PolicyCommand.RemoveRoute(Key), Handle(PolicyEvent.NodeLost(lostAt)));

        Assert.Equal(NodeState.Stopped, _policy.Node);
        Assert.DoesNotContain(_policy.StateOf(Key), new[] { ObjectState.RedisBootup, ObjectState.RedisRunning });
        Demand(until: c => c.Contains(PolicyCommand.StartNode()));
        Assert.InRange(_time.GetUtcNow() - lostAt, Backoff.RetryDelay, Backoff.RetryDelay + Gap);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void A_failed_stop_is_retried_after_a_doubling_backoff_until_the_node_has_stopped(PolicyKind kind)
    {
        Create(kind);
        ToRunning();
        Assert.Contains(Silence(TimeSpan.FromHours(1)), c => c.Command == PolicyCommand.StopNode());
        Assert.Equal(NodeState.Stopping, _policy.Node);

        foreach (var wait in new[] { Backoff.RetryDelay, 2 * Backoff.RetryDelay })
        {
            Assert.Empty(Handle(PolicyEvent.NodeCommandFailed(PolicyCommandKind.StopNode, "", _time.GetUtcNow())));
            var retry = _time.GetUtcNow() + wait;
            Assert.DoesNotContain(Silence(wait - TimeSpan.FromSeconds(1)), c => c.Command == PolicyCommand.StopNode());
            _time.SetUtcNow(retry);
            Assert.Equal([PolicyCommand.DrainGateways(), PolicyCommand.StopNode()], Due().Where(c => c.Key.Length == 0));
        }

        Handle(PolicyEvent.NodeStopped(_time.GetUtcNow()));
        Assert.DoesNotContain(Silence(TimeSpan.FromMinutes(10)), c => c.Command == PolicyCommand.StopNode());
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void A_pinned_key_leaves_the_policy_which_ignores_it_until_the_pin_ends(PolicyKind kind)
    {
        Create(kind);
        ToRunning();

        var pinned = Handle(PolicyEvent.KeyPinned(Key, CacheLayer.Lambda, _time.GetUtcNow()));

        Assert.Contains(PolicyCommand.RemoveRoute(Key), pinned);
        Assert.Contains(PolicyCommand.EvictObject(Key), pinned);
        Assert.Equal(ObjectState.S3, _policy.StateOf(Key));
        var frozen = Demand(until: _ => false, limit: TimeSpan.FromMinutes(2));
        frozen.AddRange(Handle(PolicyEvent.FunctionReady(Key, _time.GetUtcNow())));
        frozen.AddRange(Handle(PolicyEvent.FunctionEnded(Key, _time.GetUtcNow())));
        Assert.DoesNotContain(frozen, c => c.Key == Key);
        Assert.Equal(ObjectState.S3, _policy.StateOf(Key));

        // unpinned: the policy takes the key up again, as it would any key
        Handle(PolicyEvent.KeyUnpinned(Key, _time.GetUtcNow()));
        Assert.Contains(Demand(until: c => c.Any(c => c.Key == Key)), c => c.Key == Key);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void A_key_pinned_to_the_node_starts_it_and_keeps_it_up_until_unpinned(PolicyKind kind)
    {
        Create(kind);
        Assert.Equal([PolicyCommand.StartNode()], Handle(PolicyEvent.KeyPinned(Other, CacheLayer.Redis, _time.GetUtcNow())));
        Handle(PolicyEvent.NodeReady(_time.GetUtcNow()));
        Assert.Equal(NodeState.Running, _policy.Node);

        // the policy's own key comes and goes: the node stays for the pin
        Demand(until: _ => false, limit: TimeSpan.FromMinutes(1));
        Assert.DoesNotContain(Silence(TimeSpan.FromHours(1)), c => c.Command == PolicyCommand.StopNode());
        Assert.Equal(NodeState.Running, _policy.Node);

        var unpinned = Handle(PolicyEvent.KeyUnpinned(Other, _time.GetUtcNow()));
        Assert.Contains(PolicyCommand.StopNode(), unpinned.Concat(Silence(TimeSpan.FromHours(1)).Select(c => c.Command)));
        Assert.Equal(NodeState.Stopping, _policy.Node);
    }

    private void Create(PolicyKind kind) => _policy = PolicyFactory.Create(new PolicyOptions { Kind = kind }, _time);

    /// <summary>Demand until the node runs with <see cref="Key"/> on it (loads succeed at once).</summary>
    private void ToRunning(bool startDemand = true)
    {
        if (startDemand)
        {
            Demand(until: c => c.Contains(PolicyCommand.StartNode()));
        }

        Handle(PolicyEvent.NodeReady(_time.GetUtcNow()));
        Demand(until: _ => _policy.StateOf(Key) == ObjectState.RedisRunning);
        Assert.Equal(NodeState.Running, _policy.Node);
    }

    /// <summary>
    /// A request for <see cref="Key"/> every <see cref="Gap"/> (the policy's due work in between) until <paramref name="until"/>
    /// holds for a request's commands or <paramref name="limit"/> has passed; every command on the way.
    /// </summary>
    private List<PolicyCommand> Demand(Func<List<PolicyCommand>, bool> until, TimeSpan? limit = null)
    {
        var end = _time.GetUtcNow() + (limit ?? TimeSpan.FromMinutes(10));
        var all = new List<PolicyCommand>();
        while (_time.GetUtcNow() < end)
        {
            _time.Advance(Gap);
            all.AddRange(Due());
            var commands = Request(Key);
            all.AddRange(commands);
            if (until(commands))
            {
                return all;
            }
        }

        Assert.True(limit is not null, "the demand never brought what was waited for");
        return all;
    }

    /// <summary>No requests for <paramref name="length"/>: the policy's due work, with when each command came.</summary>
    private List<(DateTimeOffset At, PolicyCommand Command)> Silence(TimeSpan length)
    {
        var end = _time.GetUtcNow() + length;
        var all = new List<(DateTimeOffset, PolicyCommand)>();
        for (var turns = 0; _policy.NextDueAt is { } due && due <= end && turns < 100_000; turns++)
        {
            if (due > _time.GetUtcNow())
            {
                _time.SetUtcNow(due);
            }

            all.AddRange(Due().Select(c => (_time.GetUtcNow(), c)));
        }

        _time.SetUtcNow(end);
        return all;
    }

    private List<PolicyCommand> Request(string key) =>
        Handle(PolicyEvent.RequestReceived(key, _time.GetUtcNow(), _routes.GetValueOrDefault(key, CacheLayer.S3)));

    private List<PolicyCommand> Due()
    {
        var commands = new List<PolicyCommand>();
        _policy.OnDue(commands);
        return Engine(commands);
    }

    private List<PolicyCommand> Handle(PolicyEvent e)
    {
        var commands = new List<PolicyCommand>();
        _policy.Handle(e, commands);
        return Engine(commands);
    }

    // the engine's part: routes, a function ready at once, a shut-down one ended at once, a load done at once once the
    // node runs (the events' commands are returned after the ones that caused them)
    private List<PolicyCommand> Engine(List<PolicyCommand> commands)
    {
        var all = new List<PolicyCommand>(commands);
        var now = _time.GetUtcNow();
        foreach (var c in commands)
        {
            switch (c.Kind)
            {
                case PolicyCommandKind.SetRoute:
                    _routes[c.Key] = c.Layer;
                    break;
                case PolicyCommandKind.RemoveRoute:
                    _routes.Remove(c.Key);
                    break;
                case PolicyCommandKind.InvokeFunction:
                    all.AddRange(Handle(PolicyEvent.FunctionReady(c.Key, now)));
                    break;
                case PolicyCommandKind.ShutdownFunction:
                    all.AddRange(Handle(PolicyEvent.FunctionEnded(c.Key, now)));
                    break;
                case PolicyCommandKind.LoadObject when _loadsSucceed:
                    all.AddRange(Handle(PolicyEvent.ObjectLoaded(c.Key, now)));
                    break;
            }
        }

        return all;
    }
}
