using ReactiveCache.Core.Objects;

namespace ReactiveCache.Gateway.Origin;

/// <summary>The result of one (possibly shared) fetch from the store of record.</summary>
public sealed class OriginFetch
{
    public static OriginFetch NotFound { get; } = new(null, null, null);

    private OriginFetch(ObjectMetadata? metadata, byte[]? buffered, StoredObject? stream)
    {
        Metadata = metadata;
        Buffered = buffered;
        Stream = stream;
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

    public static OriginFetch Small(ObjectMetadata metadata, byte[] content) => new(metadata, content, null);

    public static OriginFetch Large(ObjectMetadata metadata, StoredObject? stream) => new(metadata, null, stream);

    /// <summary>What a request that joined this fetch gets: the same, minus the leader's stream.</summary>
    public OriginFetch ForFollower() => Stream is null ? this : Large(Metadata!, null);
}
