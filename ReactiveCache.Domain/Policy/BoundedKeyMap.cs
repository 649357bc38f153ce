using System.Diagnostics.CodeAnalysis;

namespace ReactiveCache.Domain.Policy;

/// <summary>
/// Per-key state that cannot grow without bound: a map in least-recently-used order that forgets an entry once it
/// has been idle for <see cref="BoundedKeyMapSettings.IdleAfter"/>, or, while more than
/// <see cref="BoundedKeyMapSettings.Capacity"/> entries are held, the least recently used ones, but only entries the
/// owner says it can forget (<c>canForget</c>: at rest, nothing running or scheduled for them). An entry that
/// cannot be forgotten is kept whatever its age (live state is never dropped), so the count can exceed the capacity
/// by the number of live entries, which the system bounds elsewhere (functions are capped, the node is one).
/// <para>Used by the policies' per-key state and by the orchestrator's projection of it: a flood of distinct keys,
/// each requested once, leaves at most the capacity behind. Not thread-safe (as the policies are not).
/// Hand-written: Microsoft.Extensions.Caching.Memory forgets on its own timers and by size alone, which could drop
/// an entry that is not at rest; this one forgets only when its owner allows it, and on the owner's clock.</para>
/// </summary>
public sealed class BoundedKeyMap<T>(BoundedKeyMapSettings settings, Func<T, bool> canForget, TimeProvider time) where T : class
{
    /// <summary>Live entries rotated to the back per trim at most, so that a trim stays cheap when the oldest are busy.</summary>
    private const int RotationsPerTrim = 16;

    private readonly Dictionary<string, LinkedListNode<Entry>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _order = new();
    private long _forgotten;

    public BoundedKeyMapSettings Settings { get; } = settings ?? throw new ArgumentNullException(nameof(settings));

    public int Count => _map.Count;

    /// <summary>Entries forgotten so far (idle or over capacity).</summary>
    public long Forgotten => _forgotten;

    public IReadOnlyCollection<string> Keys => _map.Keys;

    public IEnumerable<T> Values => _order.Select(e => e.Value);

    /// <summary>The entry of <paramref name="key"/>, if held; does not count as a use.</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out T value)
    {
        if (_map.TryGetValue(key, out var node))
        {
            value = node.Value.Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>The entry of <paramref name="key"/>, created if needed; counts as a use. A new entry may make older idle ones go.</summary>
    public T GetOrAdd(string key, Func<string, T> create)
    {
        var now = time.GetUtcNow();
        if (_map.TryGetValue(key, out var node))
        {
            Touch(node, now);
            return node.Value.Value;
        }

        var value = create(key);
        Trim(now);
        _map[key] = _order.AddLast(new Entry(key, value) { Touched = now });
        return value;
    }

    /// <summary>Stores <paramref name="value"/> for <paramref name="key"/> (replacing any); counts as a use.</summary>
    public void Set(string key, T value)
    {
        var now = time.GetUtcNow();
        if (_map.TryGetValue(key, out var node))
        {
            node.Value.Value = value;
            Touch(node, now);
            return;
        }

        Trim(now);
        _map[key] = _order.AddLast(new Entry(key, value) { Touched = now });
    }

    private void Touch(LinkedListNode<Entry> node, DateTimeOffset now)
    {
        node.Value.Touched = now;
        if (node.Next is not null)
        {
            _order.Remove(node);
            _order.AddLast(node);
        }
    }

    /// <summary>Forgets what may be forgotten now: idle entries, and the least recently used while over capacity.</summary>
    public void Trim() => Trim(time.GetUtcNow());

    private void Trim(DateTimeOffset now)
    {
        var rotations = 0;
        while (_order.First is { } oldest)
        {
            var over = _map.Count >= Settings.Capacity;
            var idle = now - oldest.Value.Touched >= Settings.IdleAfter;
            if (!over && !idle)
            {
                return;
            }

            if (canForget(oldest.Value.Value))
            {
                _order.RemoveFirst();
                _map.Remove(oldest.Value.Key);
                _forgotten++;
                continue;
            }

            if (++rotations > RotationsPerTrim)
            {
                return;
            }

            // In use: it goes to the back as if used now (it is), so the next trim looks at others first.
            oldest.Value.Touched = now;
            _order.RemoveFirst();
            _order.AddLast(oldest);
        }
    }

    private sealed class Entry(string key, T value)
    {
        public string Key { get; } = key;

        public T Value { get; set; } = value;

        public DateTimeOffset Touched { get; set; }
    }
}

/// <summary>How much per-key state a <see cref="BoundedKeyMap{T}"/> keeps.</summary>
/// <param name="Capacity">Entries held before the least recently used that are at rest are forgotten.</param>
/// <param name="IdleAfter">An entry at rest and unused this long is forgotten.</param>
public sealed record BoundedKeyMapSettings(int Capacity, TimeSpan IdleAfter)
{
    /// <summary>The default capacity (<c>Policy:MaxTrackedKeys</c>).</summary>
    public const int DefaultCapacity = 10_000;
}
