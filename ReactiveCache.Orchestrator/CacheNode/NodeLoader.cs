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

                var config = ConfigurationOptions.Parse(endpoint.ToString());
                config.Password = options.Value.Password;
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
