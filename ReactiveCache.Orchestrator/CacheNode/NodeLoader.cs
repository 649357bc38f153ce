using Microsoft.Extensions.Options;
using ReactiveCache.Core.Caching;
using ReactiveCache.Core.Objects;
using StackExchange.Redis;

namespace ReactiveCache.Orchestrator.CacheNode;

/// <summary>
/// Copies objects from the store of record onto the running cache node (GET → SET, in the layout the
/// gateway's Redis layer reads) and takes them off again. One connection per node life.
/// </summary>
public sealed class NodeLoader(IObjectStore store, IOptions<CacheNodeOptions> options, ILogger<NodeLoader> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ConnectionMultiplexer? _connection;
    private CacheNodeEndpoint? _endpoint;

    /// <summary>Loads <paramref name="key"/>; false when the store has no such object.</summary>
    public async Task<bool> LoadAsync(CacheNodeEndpoint endpoint, string key, CancellationToken cancellationToken)
    {
        await using var stored = await store.GetAsync(key, cancellationToken: cancellationToken);
        if (stored is null)
        {
            logger.LogWarning("Cannot load {Key} onto the cache node: the store has no such object", key);
            return false;
        }

        // The body goes from the store's stream straight into the entry behind its header: one copy.
        var database = await DatabaseAsync(endpoint);
        await CacheEntryLayout.StoreAsync(database, stored.Metadata, stored.Body, cancellationToken);
        logger.LogInformation("Loaded {Key} ({Bytes} bytes) onto the cache node", key, stored.Metadata.Length);
        return true;
    }

    /// <summary>
    /// For a node adopted by a restarted orchestrator: keeps the entries of <paramref name="keep"/> whose ETag is still the
    /// store's, and deletes every other entry (what an earlier life left, or a copy that changed since). Returns the keys
    /// kept: the node holds exactly those, each current.
    /// </summary>
    public async Task<IReadOnlyList<string>> AdoptAsync(CacheNodeEndpoint endpoint, IReadOnlyCollection<string> keep, CancellationToken cancellationToken)
    {
        var database = await DatabaseAsync(endpoint);
        var server = _connection!.GetServer(_connection.GetEndPoints()[0]);
        var kept = new List<string>();
        var wanted = keep.ToHashSet(StringComparer.Ordinal);
        await foreach (var entryKey in server.KeysAsync(pattern: CacheEntryLayout.EntryKeyPattern).WithCancellation(cancellationToken))
        {
            var key = CacheEntryLayout.KeyOf(entryKey);
            if (key is not null && wanted.Contains(key) && await IsCurrentAsync(database, key, cancellationToken))
            {
                kept.Add(key);
                continue;
            }

            await database.KeyDeleteAsync(entryKey);
        }

        logger.LogInformation("Adopted node {Endpoint}: kept {Kept} current entries of the {Wanted} routed to it", endpoint, kept.Count, wanted.Count);
        return kept;
    }

    /// <summary>Whether the node's entry of <paramref name="key"/> is the store's current version (same ETag).</summary>
    private async Task<bool> IsCurrentAsync(IDatabase database, string key, CancellationToken cancellationToken)
    {
        var header = (byte[]?)await database.StringGetRangeAsync(CacheEntryLayout.EntryKey(key), 0, CacheEntryLayout.MaxHeaderBytes - 1);
        if (header is null || !CacheEntryLayout.TryReadHeader(key, header, out var held, out _))
        {
            return false;
        }

        var stored = await store.GetMetadataAsync(key, cancellationToken);
        return stored is not null && stored.ETag == held.ETag && stored.Length == held.Length;
    }

    /// <summary>Whether the node answers PING within <paramref name="timeout"/> (on the loader's connection).</summary>
    public async Task<bool> PingAsync(CacheNodeEndpoint endpoint, TimeSpan timeout)
    {
        try
        {
            var database = await DatabaseAsync(endpoint);
            await database.PingAsync().WaitAsync(timeout);
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return false;
        }
    }

    public async Task EvictAsync(CacheNodeEndpoint endpoint, string key) =>
        await CacheEntryLayout.RemoveAsync(await DatabaseAsync(endpoint), key);

    /// <summary>Forgets the connection (the node stopped; the next life has a new endpoint or is empty).</summary>
    public async Task ResetAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_connection is not null)
            {
                await _connection.CloseAsync(allowCommandsToComplete: false);
                await _connection.DisposeAsync();
            }

            _connection = null;
            _endpoint = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IDatabase> DatabaseAsync(CacheNodeEndpoint endpoint)
    {
        await _gate.WaitAsync();
        try
        {
            if (_connection is null || _endpoint != endpoint)
            {
                if (_connection is not null)
                {
                    await _connection.DisposeAsync();
                }

                var config = options.Value.Loader.ConnectTo(endpoint);
                config.AbortOnConnectFail = false;
                config.SyncTimeout = config.AsyncTimeout = 10_000;
                _connection = await ConnectionMultiplexer.ConnectAsync(config);
                _endpoint = endpoint;
            }

            return _connection.GetDatabase();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync() => await ResetAsync();
}
