namespace ReactiveCache.Domain.Policy;

/// <summary>
/// The keys the control API pinned to a layer (<see cref="PolicyEventKind.KeyPinned"/>): a policy leaves a pinned key
/// alone (its requests, function and load events are not its business) until the pin ends, and keeps the node up
/// while a key is pinned to it. Shared by every policy that keeps per-key state.
/// </summary>
public sealed class KeyPins
{
    private readonly Dictionary<string, CacheLayer> _pins = new(StringComparer.Ordinal);
    private int _onNode;

    public int Count => _pins.Count;

    /// <summary>A key is pinned to the node: the node must stay up (and start, if it is stopped).</summary>
    public bool HoldNode => _onNode > 0;

    /// <summary>Whether <paramref name="key"/> is pinned (no lookup at all while nothing is).</summary>
    public bool IsPinned(string key) => _pins.Count > 0 && _pins.ContainsKey(key);

    public CacheLayer? LayerOf(string key) => _pins.TryGetValue(key, out var layer) ? layer : null;

    /// <summary>Pins <paramref name="key"/> (a second pin replaces the first).</summary>
    public void Pin(string key, CacheLayer layer)
    {
        Unpin(key);
        _pins[key] = layer;
        if (layer == CacheLayer.Redis)
        {
            _onNode++;
        }
    }

    /// <summary>Ends the pin; the layer it had, or null when the key was not pinned.</summary>
    public CacheLayer? Unpin(string key)
    {
        if (!_pins.Remove(key, out var layer))
        {
            return null;
        }

        if (layer == CacheLayer.Redis)
        {
            _onNode--;
        }

        return layer;
    }
}
