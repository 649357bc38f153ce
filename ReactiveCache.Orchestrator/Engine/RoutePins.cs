using System.Collections.Concurrent;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Orchestrator.Functions;
using ReactiveCache.Orchestrator.Gateways;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>
/// The control API's pins (<c>PUT /routes/{key}?layer=</c>, ended by <c>DELETE /routes/{key}</c>): serve a key from a
/// layer, whatever the policy would do, for measurements. A pin freezes its key: the policy is told
/// (<see cref="PolicyEventKind.KeyPinned"/>) and lets go of the key; once its commands for that are carried out the
/// policy loop <see cref="Activate"/>s the pin (its function, or its load), and from then on the engine drops any
/// command of the policy for the key. When the pin ends, the policy takes the key up again from S3 (after the pin's
/// function has ended, so that the policy never hears of a function it did not ask for).
/// </summary>
public sealed class RoutePins
{
    /// <summary>The life a pinned function asks for (the function timeout still ends it).</summary>
    private static readonly TimeSpan PinnedFunctionLife = TimeSpan.FromMinutes(10);

    /// <summary>How long the end of a pin waits for its function to end before the policy takes the key anyway.</summary>
    private static readonly TimeSpan FunctionEndWait = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, PinState> _pins = new(StringComparer.Ordinal);
    private readonly GatewaySessions _gateways;
    private readonly IFunctionControl _functionControl;
    private readonly FunctionRunner _functions;
    private readonly NodeWorkQueue _nodeWork;
    private readonly NodeCommands _node;
    private readonly PolicyInbox _inbox;
    private readonly TimeProvider _time;

    public RoutePins(GatewaySessions gateways, IFunctionControl functionControl, FunctionRunner functions, NodeWorkQueue nodeWork, NodeCommands node,
        PolicyInbox inbox, TimeProvider time)
    {
        (_gateways, _functionControl, _functions, _nodeWork, _node, _inbox, _time) = (gateways, functionControl, functions, nodeWork, node, inbox, time);
        // A key pinned to Lambda is routed once a function holding it is ready.
        functions.Ready += key =>
        {
            if (_pins.TryGetValue(key, out var pin) && pin.Active && pin.Layer == CacheLayer.Lambda)
            {
                _gateways.SetRoute(key, CacheLayer.Lambda);
            }
        };
    }

    /// <summary>The layer <paramref name="key"/> is pinned to (set up or being set up), or null.</summary>
    public CacheLayer? LayerOf(string key) => _pins.TryGetValue(key, out var pin) ? pin.Layer : null;

    /// <summary>Whether the pin of <paramref name="key"/> is in force: the policy's commands for the key are dropped.</summary>
    public bool IsActive(string key) => !_pins.IsEmpty && _pins.TryGetValue(key, out var pin) && pin.Active;

    /// <summary>Every pinned key with its layer.</summary>
    public IReadOnlyDictionary<string, CacheLayer> All => _pins.ToDictionary(p => p.Key, p => p.Value.Layer, StringComparer.Ordinal);

    /// <summary>
    /// Pins <paramref name="key"/> to <paramref name="layer"/> (replacing a pin it had). Lambda: a function with a long life
    /// holds the key and the route switches when it is ready. Redis: the node is started if needed and the key loaded,
    /// then routed. S3: the key stays on S3.
    /// </summary>
    public void Pin(string key, CacheLayer layer)
    {
        if (_pins.TryRemove(key, out var previous))
        {
            Undo(key, previous);
        }

        _pins[key] = new PinState(layer);
        _inbox.Post(PolicyEvent.KeyPinned(key, layer, _time.GetUtcNow()));
    }

    /// <summary>Ends the pin of <paramref name="key"/>; false when it had none.</summary>
    public bool Unpin(string key)
    {
        if (!_pins.TryRemove(key, out var pin))
        {
            return false;
        }

        Undo(key, pin);
        _ = HandBackAsync(key, pin);
        return true;
    }

    /// <summary>
    /// Called by the policy loop once the policy let go of <paramref name="key"/> (its commands for that are carried out):
    /// the pin takes effect.
    /// </summary>
    public void Activate(string key)
    {
        if (!_pins.TryGetValue(key, out var pin) || pin.Active)
        {
            return;
        }

        pin.Active = true;
        // A shutdown the policy sent to a function of its own that has not connected yet must not reach the pin's.
        _functionControl.ForgetPending(key);
        switch (pin.Layer)
        {
            case CacheLayer.Lambda:
                pin.Function = RunFunctionAsync(key, pin);
                break;
            case CacheLayer.Redis:
                _nodeWork.Enqueue(PolicyCommandKind.LoadObject, key, ct => _node.LoadAndRouteAsync(key, () => IsCurrent(key, pin), ct));
                break;
            default:
                _gateways.RemoveRoute(key);
                break;
        }
    }

    private async Task RunFunctionAsync(string key, PinState pin)
    {
        await _functions.RunAsync(key, PinnedFunctionLife, tellPolicy: false);
        // Its function ended (its life, or a shutdown): the key is served by S3 until the pin ends or is set again.
        if (IsCurrent(key, pin))
        {
            _gateways.RemoveRoute(key);
        }
    }

    private bool IsCurrent(string key, PinState pin) => _pins.TryGetValue(key, out var current) && ReferenceEquals(current, pin);

    /// <summary>Takes back what a pin did: its function is shut down, its route removed, its copy on the node evicted.</summary>
    private void Undo(string key, PinState pin)
    {
        pin.Active = false;
        if (pin.Layer == CacheLayer.Lambda)
        {
            _functionControl.Shutdown(key);
        }

        _gateways.RemoveRoute(key);
        if (pin.Layer == CacheLayer.Redis)
        {
            _nodeWork.Enqueue(PolicyCommandKind.EvictObject, key, _ => _node.EvictAsync(key));
        }
    }

    /// <summary>The policy takes the key up again once the pin's function has ended (or after a while).</summary>
    private async Task HandBackAsync(string key, PinState pin)
    {
        if (pin.Function is { } function)
        {
            await Task.WhenAny(function, Task.Delay(FunctionEndWait, _time));
        }

        _functionControl.ForgetPending(key);
        _inbox.Post(PolicyEvent.KeyUnpinned(key, _time.GetUtcNow()));
    }

    private sealed class PinState(CacheLayer layer)
    {
        public CacheLayer Layer { get; } = layer;

        public volatile bool Active;

        public Task? Function { get; set; }
    }
}
