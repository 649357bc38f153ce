using Microsoft.Extensions.Time.Testing;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Policy.Thesis;

namespace ReactiveCache.UnitTests.Domain.Policy;

/// <summary>
/// "A key's route matches its state", checked after every event while the thesis policy and a pin drive one key
/// together: the policy's commands are carried out as the engine does (functions and the node answer at once, the
/// policy's commands for a pinned key are dropped, the pin's route is set once it is in force and removed when it ends).
/// </summary>
public sealed class RouteInvariantTests
{
    private const string Key = "hot.bin";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2022, 2, 16, 12, 0, 0, TimeSpan.Zero));
    private readonly Dictionary<string, CacheLayer> _routes = new(StringComparer.Ordinal);
    private readonly List<(DateTimeOffset Due, PolicyEvent Event)> _later = [];
    private readonly Queue<PolicyEvent> _events = new();
    private readonly HashSet<ObjectState> _visited = [];
    private ThesisPolicy _policy = null!;
    private CacheLayer? _pin;
    private bool _pinActive;
    private bool _wasPinned;
    private bool _onNodeAfterUnpin;
    private int _functions;

    [Theory]
    [InlineData(CacheLayer.Lambda)]
    [InlineData(CacheLayer.Redis)]
    [InlineData(CacheLayer.S3)]
    public void Routes_match_states_while_the_policy_and_a_pin_drive_the_same_key(CacheLayer pinned)
    {
        _policy = new ThesisPolicy(PolicyConfigurator.Derive(3, 4), _time);
        var end = _time.GetUtcNow() + TimeSpan.FromMinutes(15);
        var start = _time.GetUtcNow();
        var nextRequest = start;
        while (_time.GetUtcNow() < end)
        {
            var at = _time.GetUtcNow() - start;
            if (at == TimeSpan.FromMinutes(3))
            {
                Pin(pinned); // a user pins the key while the node serves it
            }
            else if (at == TimeSpan.FromMinutes(5))
            {
                Unpin(); // and leaves it to the policy again
            }

            // Hot (5 GETs a second), cool (one a minute), hot again, then nothing.
            var gap = at < TimeSpan.FromMinutes(2) || (at >= TimeSpan.FromMinutes(6) && at < TimeSpan.FromMinutes(9)) ? TimeSpan.FromMilliseconds(200)
                : at < TimeSpan.FromMinutes(6) ? TimeSpan.FromMinutes(1)
                : TimeSpan.MaxValue;
            if (_time.GetUtcNow() >= nextRequest)
            {
                Step(PolicyEvent.RequestReceived(Key, _time.GetUtcNow(), _routes.GetValueOrDefault(Key, CacheLayer.S3)));
                nextRequest = gap == TimeSpan.MaxValue ? end : _time.GetUtcNow() + gap;
            }

            RunDue();
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        // The policy drove the key through its states, and took it up again after the pin: hot again, it was served by the node.
        Assert.Contains(ObjectState.Lambda, _visited);
        Assert.Contains(ObjectState.RedisRunning, _visited);
        Assert.True(_onNodeAfterUnpin, "after the pin the policy took the key up again, to the node");
        Assert.Equal(ObjectState.S3, _policy.StateOf(Key));
        Assert.False(_routes.ContainsKey(Key));
    }

    private void Pin(CacheLayer layer)
    {
        _pin = layer;
        _wasPinned = true;
        Step(PolicyEvent.KeyPinned(Key, layer, _time.GetUtcNow()));
        // In force once the policy's commands for letting go are out: the pin's layer serves (S3: no route).
        _pinActive = true;
        SetRoute(layer);
        Check();
    }

    private void Unpin()
    {
        (_pin, _pinActive) = (null, false);
        _routes.Remove(Key);
        Step(PolicyEvent.KeyUnpinned(Key, _time.GetUtcNow()));
    }

    private void RunDue()
    {
        var now = _time.GetUtcNow();
        foreach (var item in _later.Where(l => l.Due <= now).ToList())
        {
            _later.Remove(item);
            Step(item.Event);
        }

        if (_policy.NextDueAt is { } due && due <= now)
        {
            var commands = new List<PolicyCommand>();
            _policy.OnDue(commands);
            Carry(commands);
            Drain();
        }
    }

    private void Step(PolicyEvent e)
    {
        _events.Enqueue(e);
        Drain();
    }

    private void Drain()
    {
        while (_events.TryDequeue(out var e))
        {
            var commands = new List<PolicyCommand>();
            _policy.Handle(e, commands);
            Carry(commands);
            Check();
        }
    }

    /// <summary>The engine's part: routes applied (unless pinned), functions and the node answer at once.</summary>
    private void Carry(List<PolicyCommand> commands)
    {
        var now = _time.GetUtcNow();
        foreach (var command in commands)
        {
            if (command.Key == Key && _pinActive)
            {
                continue; // the pin is in force: the engine drops the policy's commands for the key
            }

            switch (command.Kind)
            {
                case PolicyCommandKind.InvokeFunction:
                    _functions++;
                    _events.Enqueue(PolicyEvent.FunctionReady(command.Key, now));
                    _later.Add((now + command.Tick, PolicyEvent.FunctionEnded(command.Key, now + command.Tick)));
                    break;
                case PolicyCommandKind.KeepRunning:
                    _later.RemoveAll(l => l.Event.Kind == PolicyEventKind.FunctionEnded && l.Event.Key == command.Key);
                    break;
                case PolicyCommandKind.ShutdownFunction when _functions > 0:
                    _functions--;
                    _later.RemoveAll(l => l.Event.Kind == PolicyEventKind.FunctionEnded && l.Event.Key == command.Key);
                    _events.Enqueue(PolicyEvent.FunctionEnded(command.Key, now));
                    break;
                case PolicyCommandKind.StartNode:
                    _events.Enqueue(PolicyEvent.NodeReady(now));
                    break;
                case PolicyCommandKind.LoadObject:
                    _events.Enqueue(PolicyEvent.ObjectLoaded(command.Key, now));
                    break;
                case PolicyCommandKind.StopNode:
                    _events.Enqueue(PolicyEvent.NodeStopped(now));
                    break;
                case PolicyCommandKind.SetRoute:
                    SetRoute(command.Layer);
                    break;
                case PolicyCommandKind.RemoveRoute:
                    _routes.Remove(command.Key);
                    break;
            }
        }
    }

    private void SetRoute(CacheLayer layer)
    {
        if (layer == CacheLayer.S3)
        {
            _routes.Remove(Key);
        }
        else
        {
            _routes[Key] = layer;
        }
    }

    private void Check()
    {
        var route = _routes.GetValueOrDefault(Key, CacheLayer.S3);
        var state = _policy.StateOf(Key);
        _visited.Add(state);
        _onNodeAfterUnpin |= _wasPinned && _pin is null && route == CacheLayer.Redis && state == ObjectState.RedisRunning;
        if (_pin is { } pin)
        {
            Assert.True(RouteInvariant.HoldsPinned(pin, route), $"pinned to {pin} at {_time.GetUtcNow():T}: route {route}");
        }
        else
        {
            Assert.True(RouteInvariant.Holds(state, route), $"state {state} at {_time.GetUtcNow():T}: route {route}");
        }
    }
}
