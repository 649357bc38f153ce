using ReactiveCache.Core.Objects;
using ReactiveCache.Gateway.Limits;

namespace ReactiveCache.Gateway.Origin;

/// <summary>
/// The result of one (possibly shared) fetch from the store of record. Each request that got one disposes it
/// when it has answered: that closes its stream, and the last one hands a shared body's bytes back to the
/// <see cref="HeldBodyBudget"/>.
/// </summary>
public sealed class OriginFetch : IAsyncDisposable
{
    public static OriginFetch NotFound { get; } = new(null, null, null, null);

    private readonly SharedBody? _shared;

    private OriginFetch(ObjectMetadata? metadata, byte[]? buffered, StoredObject? stream, SharedBody? shared)
    {
        Metadata = metadata;
        Buffered = buffered;
        Stream = stream;
        _shared = shared;
    }

    /// <summary><c>null</c> when the key does not exist.</summary>
    public ObjectMetadata? Metadata { get; }

    /// <summary>The whole object, for objects small enough to share.</summary>
    public byte[]? Buffered { get; }

    /// <summary>
    /// For a large object: the open stream of the whole object, handed only to the request that fetched it
    /// (that request disposes it); requests that joined get <c>null</c> and open their own.
    /// </summary>
    public StoredObject? Stream { get; }

    /// <summary>A body held in memory for every request that joined the fetch, its bytes reserved in <paramref name="budget"/>.</summary>
    public static OriginFetch Small(ObjectMetadata metadata, byte[] content, HeldBodyBudget budget) =>
        new(metadata, content, null, new SharedBody(content.Length, budget));

    public static OriginFetch Large(ObjectMetadata metadata, StoredObject? stream) => new(metadata, null, stream, null);

    /// <summary>What a request that joined this fetch gets: the same body (one more user of it), minus the leader's stream.</summary>
    public OriginFetch ForFollower() =>
        Stream is not null ? Large(Metadata!, null)
        : _shared is not null ? new(Metadata, Buffered, null, _shared.TryShare() ? _shared : null)
        : this;

    public async ValueTask DisposeAsync()
    {
        if (Stream is not null)
        {
            await Stream.DisposeAsync();
        }

        _shared?.Done();
    }

    /// <summary>Counts the requests still answering from a shared body; the last one releases its bytes.</summary>
    private sealed class SharedBody(long bytes, HeldBodyBudget budget)
    {
        private int _users = 1;

        /// <summary>One more user, unless every user is already done (the bytes are released: the late one is not counted).</summary>
        public bool TryShare()
        {
            var users = Volatile.Read(ref _users);
            while (users > 0)
            {
                var seen = Interlocked.CompareExchange(ref _users, users + 1, users);
                if (seen == users)
                {
                    return true;
                }

                users = seen;
            }

            return false;
        }

        public void Done()
        {
            if (Interlocked.Decrement(ref _users) == 0)
            {
                budget.Release(bytes);
            }
        }
    }
}
