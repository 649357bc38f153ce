using ReactiveCache.Core.Caching;
using ReactiveCache.Core.Objects;
using ReactiveCache.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace ReactiveCache.IntegrationTests.Gateway;

/// <summary>
/// The real servers a gateway test needs: s3rver (seeded with the sample objects) and a redis-server, the run's
/// shared ones (<see cref="SharedGatewayServers"/>) or, for tests that kill the node, one of their own
/// (<see cref="KillableGatewayServers"/>).
/// </summary>
public abstract class GatewayServers : IAsyncLifetime
{
    public S3rverFixture S3 { get; } = new();

    public abstract RedisServer Redis { get; }

    public string RedisEndpoint => Redis.Endpoint;

    public virtual async Task InitializeAsync() => await S3.InitializeAsync();

    public virtual Task DisposeAsync() => S3.DisposeAsync();

    /// <summary>A chunk size for entries that tests stream in many reads (a 1 MB body in 256 fields).</summary>
    public const int SmallChunkBytes = 4096;

    /// <summary>Loads objects onto the cache node the way the orchestrator does (same layout, same metadata as S3).</summary>
    public Task LoadIntoRedisAsync(params string[] keys) => LoadIntoRedisAsync(CacheEntryLayout.DefaultChunkBytes, keys);

    /// <summary>Loads objects onto the cache node as the orchestrator does, their bodies cut into <paramref name="chunkBytes"/> fields.</summary>
    public async Task LoadIntoRedisAsync(int chunkBytes, params string[] keys)
    {
        using var s3 = S3.CreateClient();
        var store = new S3ObjectStore(s3, Microsoft.Extensions.Options.Options.Create(S3.Options));
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);
        foreach (var key in keys)
        {
            await using var stored = await store.GetAsync(key) ?? throw new InvalidOperationException($"No '{key}' in s3rver.");
            using var body = new MemoryStream();
            await stored.Body.CopyToAsync(body);
            await CacheEntryLayout.StoreAsync(redis.GetDatabase(), stored.Metadata, body.ToArray(), chunkBytes);
        }
    }

    public async Task<ObjectMetadata> MetadataAsync(string key)
    {
        using var s3 = S3.CreateClient();
        var store = new S3ObjectStore(s3, Microsoft.Extensions.Options.Options.Create(S3.Options));
        return await store.GetMetadataAsync(key) ?? throw new InvalidOperationException($"No '{key}' in s3rver.");
    }
}

/// <summary>The run's shared s3rver and redis-server.</summary>
public sealed class SharedGatewayServers : GatewayServers
{
    private readonly RedisServerFixture _redis = new();

    public override RedisServer Redis => _redis.Server;

    public override async Task InitializeAsync()
    {
        await Task.WhenAll(base.InitializeAsync(), _redis.InitializeAsync());
    }
}

/// <summary>The run's shared s3rver and a redis-server of the test class's own, which its tests kill and start again.</summary>
public sealed class KillableGatewayServers : GatewayServers
{
    public override RedisServer Redis { get; } = new();

    /// <summary>Kills redis-server, as when the cache node disappears.</summary>
    public Task StopRedisAsync() => Redis.StopAsync();

    /// <summary>Starts redis-server again (empty) if a test stopped it.</summary>
    public async Task EnsureRedisAsync()
    {
        if (!Redis.Running)
        {
            await Redis.StartAsync();
        }
    }

    public override async Task InitializeAsync()
    {
        await Task.WhenAll(base.InitializeAsync(), Redis.StartAsync());
    }

    public override async Task DisposeAsync()
    {
        await Redis.DisposeAsync();
        await base.DisposeAsync();
    }
}
