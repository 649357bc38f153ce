namespace ReactiveCache.Core.Objects;

/// <summary>An object's metadata and an open stream over its body (or over the requested range of it).</summary>
/// <remarks>The caller owns the stream and disposes the object when it has copied the body.</remarks>
public sealed class StoredObject(ObjectMetadata metadata, Stream body, ByteRange? range) : IAsyncDisposable
{
    public ObjectMetadata Metadata { get; } = metadata;

    /// <summary>The body, or only the bytes of <see cref="Range"/> when one was asked for.</summary>
    public Stream Body { get; } = body;

    /// <summary>The range the body holds; <c>null</c> for the whole object.</summary>
    public ByteRange? Range { get; } = range;

    public ValueTask DisposeAsync() => Body.DisposeAsync();
}
