using ReactiveCache.Core.Objects;

namespace ReactiveCache.UnitTests.Orchestrator.Engine;

/// <summary>A store of record that knows only the sizes of its objects (their metadata); it opens no body.</summary>
internal sealed class SizedObjectStore(IReadOnlyDictionary<string, long> sizes) : IObjectStore
{
    public Task<ObjectMetadata?> GetMetadataAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(sizes.TryGetValue(key, out var length)
            ? new ObjectMetadata(key, length, "\"v1\"", "application/octet-stream", DateTimeOffset.UnixEpoch)
            : null);

    public Task<StoredObject?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<StoredObject?>(null);
}
