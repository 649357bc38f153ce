using ReactiveCache.Domain;

namespace ReactiveCache.Core.Routing;

/// <summary>
/// The live route table: a versioned <see cref="RouteTableSnapshot"/> replaced atomically. Readers take
/// <see cref="Current"/> without locks and always see one whole version; writers are serialised.
/// </summary>
public sealed class RouteTable
{
    private readonly Lock _write = new();
    private RouteTableSnapshot _current = RouteTableSnapshot.Empty;

    public RouteTableSnapshot Current => Volatile.Read(ref _current);

    public ulong Version => Current.Version;

    /// <summary>Raised after every change, with the new snapshot (from the writer's thread).</summary>
    public event Action<RouteTableSnapshot>? Changed;

    public CacheLayer Lookup(string key) => Current.Lookup(key);

    /// <summary>Replaces the whole table (a snapshot from the orchestrator).</summary>
    public void Replace(ulong version, IEnumerable<KeyValuePair<string, CacheLayer>> routes)
    {
        var next = RouteTableSnapshot.Create(version, routes);
        lock (_write)
        {
            Volatile.Write(ref _current, next);
        }

        Changed?.Invoke(next);
    }

    /// <summary>
    /// Applies a delta made on <paramref name="baseVersion"/>. Returns <c>false</c> and changes nothing when
    /// the table holds another version (a delta was missed: the caller resynchronises with a snapshot).
    /// </summary>
    public bool TryApply(ulong baseVersion, ulong version, IEnumerable<KeyValuePair<string, CacheLayer>> upserts, IEnumerable<string> removals)
    {
        RouteTableSnapshot next;
        lock (_write)
        {
            var current = _current;
            if (current.Version != baseVersion || version <= baseVersion)
            {
                return false;
            }

            next = current.With(version, upserts, removals);
            Volatile.Write(ref _current, next);
        }

        Changed?.Invoke(next);
        return true;
    }
}
