namespace ReactiveCache.Core.Objects;

/// <summary>The store of record (S3, or a folder for local runs). Every object lives here.</summary>
public interface IObjectStore
{
    /// <summary>The object's metadata, or <c>null</c> when the key does not exist.</summary>
    Task<ObjectMetadata?> GetMetadataAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens the object for streaming, or returns <c>null</c> when the key does not exist.
    /// With a <paramref name="range"/> the body holds only those bytes. Metadata and body are always of one version.
    /// </summary>
    Task<StoredObject?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens the object only when its version meets <paramref name="condition"/> (S3's If-Match / If-None-Match).
    /// This default reads and then compares, which is exact because <see cref="GetAsync"/> never mixes versions; a
    /// store that can ask the condition itself (S3) does, so that "not modified" moves no body.
    /// </summary>
    async Task<ConditionalRead> GetIfAsync(string key, VersionCondition condition, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        var stored = await GetAsync(key, range, cancellationToken);
        if (stored is null)
        {
            return ConditionalRead.Missing;
        }

        var status = condition.Evaluate(stored.Metadata.ETag);
        if (status == ReadStatus.Found)
        {
            return new ConditionalRead(ReadStatus.Found, stored);
        }

        await stored.DisposeAsync();
        return status == ReadStatus.Changed ? ConditionalRead.Changed : ConditionalRead.NotModified;
    }
}
