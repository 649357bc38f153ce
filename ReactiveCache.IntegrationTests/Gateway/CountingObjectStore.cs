using ReactiveCache.Core.Objects;

namespace ReactiveCache.IntegrationTests.Gateway;

/// <summary>Wraps a store, counts body fetches (origin fetches) and can hold them until a gate opens.</summary>
public sealed class CountingObjectStore(IObjectStore inner) : IObjectStore
{
    private int _gets;

    public int Gets => Volatile.Read(ref _gets);

    /// <summary>When set, every GetAsync waits for it before reaching the store.</summary>
    public TaskCompletionSource? Gate { get; set; }

    public Task<ObjectMetadata?> GetMetadataAsync(string key, CancellationToken cancellationToken = default) =>
        inner.GetMetadataAsync(key, cancellationToken);

    public async Task<StoredObject?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _gets);
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }

        return await inner.GetAsync(key, range, cancellationToken);
    }
}
