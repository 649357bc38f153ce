using ReactiveCache.Core.Objects;

namespace ReactiveCache.UnitTests.Orchestrator.Engine;

/// <summary>A store of record that fails every read of the keys given and has no other object.</summary>
internal sealed class FailingObjectStore(Func<Exception> failure, params string[] failing) : IObjectStore
{
    public Task<ObjectMetadata?> GetMetadataAsync(string key, CancellationToken cancellationToken = default) =>
        failing.Contains(key) ? Task.FromException<ObjectMetadata?>(failure()) : Task.FromResult<ObjectMetadata?>(null);

    public Task<StoredObject?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default) =>
        failing.Contains(key) ? Task.FromException<StoredObject?>(failure()) : Task.FromResult<StoredObject?>(null);
}
