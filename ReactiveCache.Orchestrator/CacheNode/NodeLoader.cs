using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Caching;
using ReactiveCache.Core.Objects;
using StackExchange.Redis;

namespace ReactiveCache.Orchestrator.CacheNode;

/// <summary>
/// Copies objects from the store of record onto the running cache node (GET → SET, in the layout the
/// gateway's Redis layer reads) and takes them off again. One connection per node life. It remembers when each entry
/// was last known current (<see cref="DueForRevalidation"/>); a revalidation reads an entry again from the store only
/// when the store's version differs (a conditional GET on its ETag).
/// </summary>
public sealed class NodeLoader(IObjectStore store, IOptions<CacheNodeOptions> options, ILogger<NodeLoader> logger, TimeProvider? time = null)
    : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _validated = new(StringComparer.Ordinal);
    private ConnectionMultiplexer? _connection;
    private CacheNodeEndpoint? _endpoint;

    /// <summary>
    /// Loads <paramref name="key"/>; false when the store has no such object. (The policy loads keys the node does not
    /// hold: it evicts what it takes off. A copy the node keeps is brought up to date by <see cref="RevalidateAsync"/>.)
    /// </summary>
    public async Task<bool> LoadAsync(CacheNodeEndpoint endpoint, string key, CancellationToken cancellationToken)
    {
        var checkedAt = _time.GetUtcNow();
        await using var stored = await store.GetAsync(key, cancellationToken: cancellationToken);
        if (stored is null)
        {
            logger.LogWarning("Cannot load {Key} onto the cache node: the store has no such object", key);
            return false;
        }

        await StoreAsync(await DatabaseAsync(endpoint), stored, checkedAt, cancellationToken);
        return true;
    }

    /// <summary>
    /// Brings the node's entry of <paramref name="key"/> to the store's current version with a conditional GET on its
    /// ETag: NotModified (nothing moved), Found (loaded: one transaction replaces the entry at once, and a gateway streaming the
    /// old one finds its chunks gone), Missing (the store has no such object: the entry is deleted). Without an entry
    /// nothing is loaded (NotModified): an evicted key stays evicted.
    /// </summary>
    public async Task<ReadStatus> RevalidateAsync(CacheNodeEndpoint endpoint, string key, CancellationToken cancellationToken)
    {
        var database = await DatabaseAsync(endpoint);
        if (await CacheEntryLayout.ReadMetadataAsync(database, key) is not { } held)
        {
            _validated.TryRemove(key, out _);
            return ReadStatus.NotModified;
        }

        var checkedAt = _time.GetUtcNow();
        await using var read = await store.GetIfAsync(key, VersionCondition.ChangedFrom(held.ETag), cancellationToken: cancellationToken);
        switch (read.Status)
        {
            case ReadStatus.Missing:
                logger.LogWarning("Cannot load {Key} onto the cache node: the store has no such object", key);
                await CacheEntryLayout.RemoveAsync(database, key);
                _validated.TryRemove(key, out _);
                break;
            case ReadStatus.NotModified:
                _validated[key] = checkedAt;
                break;
            default:
                await StoreAsync(database, read.Object!, checkedAt, cancellationToken);
                break;
        }

        return read.Status;
    }

    private async Task StoreAsync(IDatabase database, StoredObject stored, DateTimeOffset checkedAt, CancellationToken cancellationToken)
    {
        // The body goes from the store's stream straight into the entry's fields: one copy.
        await CacheEntryLayout.StoreAsync(database, stored.Metadata, stored.Body, cancellationToken);
        _validated[stored.Metadata.Key] = checkedAt;
        logger.LogInformation("Loaded {Key} ({Bytes} bytes, {ETag}) onto the cache node", stored.Metadata.Key, stored.Metadata.Length, stored.Metadata.ETag);
    }

    /// <summary>The keys on the node last known current before <paramref name="before"/>.</summary>
    public IReadOnlyList<string> DueForRevalidation(DateTimeOffset before) =>
        [.. _validated.Where(v => v.Value < before).Select(v => v.Key)];

    /// <summary>Makes every entry held now due for revalidation (a change to any of them may have been missed).</summary>
    public void ExpireAll()
    {
        foreach (var key in _validated.Keys)
        {
            _validated[key] = DateTimeOffset.MinValue;
        }
    }

    /// <summary>
    /// For a node adopted by a restarted orchestrator: keeps the entries of <paramref name="keep"/> (every entry when null:
    /// no gateway said which it routes to the node) whose ETag is still the store's, and deletes every other entry (what
    /// an earlier life left, or a copy that changed since). Returns the keys kept: the node holds exactly those, each current.
    /// </summary>
    public async Task<IReadOnlyList<string>> AdoptAsync(CacheNodeEndpoint endpoint, IReadOnlyCollection<string>? keep, CancellationToken cancellationToken)
    {
        var database = await DatabaseAsync(endpoint);
        var server = _connection!.GetServer(_connection.GetEndPoints()[0]);
        var kept = new List<string>();
        var wanted = keep?.ToHashSet(StringComparer.Ordinal);
        await foreach (var entryKey in server.KeysAsync(pattern: CacheEntryLayout.EntryKeyPattern).WithCancellation(cancellationToken))
        {
            var key = CacheEntryLayout.KeyOf(entryKey);
            if (key is not null && (wanted is null || wanted.Contains(key)) && await IsCurrentAsync(database, key, cancellationToken))
            {
                kept.Add(key);
                _validated[key] = _time.GetUtcNow();
                continue;
            }

            await database.KeyDeleteAsync(entryKey);
        }

        logger.LogInformation("Adopted node {Endpoint}: kept {Kept} current entries of the {Wanted} routed to it", endpoint, kept.Count,
            wanted?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all");
        return kept;
    }

    /// <summary>Whether the node's entry of <paramref name="key"/> is the store's current version (same ETag).</summary>
    private async Task<bool> IsCurrentAsync(IDatabase database, string key, CancellationToken cancellationToken)
    {
        if (await CacheEntryLayout.ReadMetadataAsync(database, key) is not { } held)
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

    public async Task EvictAsync(CacheNodeEndpoint endpoint, string key)
    {
        _validated.TryRemove(key, out _);
        await CacheEntryLayout.RemoveAsync(await DatabaseAsync(endpoint), key);
    }

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
            _validated.Clear();
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
