using ReactiveCache.Core.Caching;
using ReactiveCache.Core.Objects;
using ReactiveCache.Tests.Infrastructure;
using StackExchange.Redis;

namespace ReactiveCache.Tests.Gateway;

/// <summary>The real servers a gateway test needs: s3rver (seeded with the sample objects) and redis-server.</summary>
public sealed class GatewayServers : IAsyncLifetime
{
    public S3rverFixture S3 { get; } = new();

    public RedisServerFixture Redis { get; } = new();

    public string RedisEndpoint => $"127.0.0.1:{Redis.Port}";

    public bool RedisRunning { get; private set; } = true;

    /// <summary>Kills redis-server, as when the cache node disappears.</summary>
    public async Task StopRedisAsync()
    {
        RedisRunning = false;
        await Redis.StopAsync();
    }

    /// <summary>Starts redis-server again (empty) if a test stopped it.</summary>
    public async Task EnsureRedisAsync()
    {
        if (!RedisRunning)
        {
            await Redis.StartAsync();
            RedisRunning = true;
        }
    }

    public async Task InitializeAsync()
    {
        await Task.WhenAll(S3.InitializeAsync(), Redis.InitializeAsync());
    }

    /// <summary>Loads objects onto the cache node the way the orchestrator does (same layout, same metadata as S3).</summary>
    public async Task LoadIntoRedisAsync(params string[] keys)
    {
        using var s3 = S3.CreateClient();
        var store = new S3ObjectStore(s3, Microsoft.Extensions.Options.Options.Create(S3.Options));
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);
        foreach (var key in keys)
        {
            await using var stored = await store.GetAsync(key) ?? throw new InvalidOperationException($"No '{key}' in s3rver.");
            using var body = new MemoryStream();
            await stored.Body.CopyToAsync(body);
            await CacheEntryLayout.StoreAsync(redis.GetDatabase(), stored.Metadata, body.ToArray());
        }
    }

    public async Task<ObjectMetadata> MetadataAsync(string key)
    {
        using var s3 = S3.CreateClient();
        var store = new S3ObjectStore(s3, Microsoft.Extensions.Options.Options.Create(S3.Options));
        return await store.GetMetadataAsync(key) ?? throw new InvalidOperationException($"No '{key}' in s3rver.");
    }

    public async Task DisposeAsync()
    {
        await Redis.DisposeAsync();
        await S3.DisposeAsync();
    }
}
