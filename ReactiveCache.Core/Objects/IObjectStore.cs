namespace ReactiveCache.Core.Objects;

/// <summary>The store of record (S3, or a folder for local runs). Every object lives here.</summary>
public interface IObjectStore
{
    /// <summary>The object's metadata, or <c>null</c> when the key does not exist.</summary>
    Task<ObjectMetadata?> GetMetadataAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens the object for streaming, or returns <c>null</c> when the key does not exist.
    /// With a <paramref name="range"/> the body holds only those bytes.
    /// </summary>
    Task<StoredObject?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default);
}
