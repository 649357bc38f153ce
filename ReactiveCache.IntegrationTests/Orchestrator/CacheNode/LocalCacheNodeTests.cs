using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Caching;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using ReactiveCache.Orchestrator.CacheNode;
using StackExchange.Redis;

namespace ReactiveCache.IntegrationTests.Orchestrator.CacheNode;

/// <summary>The local cache node: a real Garnet process, really started and stopped.</summary>
public sealed class LocalCacheNodeTests : IAsyncLifetime
{
    private const string Password = "local-test-password";
    private const string User = ReactiveCache.Core.Caching.CacheNodeUsers.Writer;
    private readonly string _stateDirectory = Directory.CreateTempSubdirectory("cache-node-").FullName;

    private LocalCacheNode Node(TimeSpan? bootDelay = null) => new(
        Microsoft.Extensions.Options.Options.Create(new CacheNodeOptions
        {
            User = User,
            Password = Password,
            ReaderPassword = "local-test-reader-password",
            StateDirectory = _stateDirectory,
            BootDelay = bootDelay ?? TimeSpan.Zero,
            ReadyTimeout = TimeSpan.FromSeconds(30),
            Memory = "64m",
            OwnerProcessId = Environment.ProcessId,
        }),
        new RedisProbe(TimeProvider.System),
        NullLogger<LocalCacheNode>.Instance);

    private static ObjectMetadata Metadata(string key, int length) =>
        new(key, length, "\"v1\"", "application/octet-stream", DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    [Fact]
    public async Task A_started_node_serves_with_auth_and_a_restarted_one_is_empty()
    {
        var node = Node();
        var endpoint = await node.StartAsync(CancellationToken.None);

        await using (var redis = await ConnectAsync(endpoint, Password))
        {
            // An entry as the loader stores it (one transaction of 17 fields), read back whole.
            var value = new byte[1024 * 1024];
            Random.Shared.NextBytes(value);
            await CacheEntryLayout.StoreAsync(redis.GetDatabase(), Metadata("1MB.txt", value.Length), value);
            var read = await CacheEntryLayout.ReadAsync(redis.GetDatabase(), "1MB.txt");
            Assert.Equal(value, read!.Value.Body);
        }

        await Assert.ThrowsAnyAsync<RedisException>(async () =>
        {
            await using var noAuth = await ConnectAsync(endpoint, password: null);
            await noAuth.GetDatabase().HashGetAsync(CacheEntryLayout.EntryKey("1MB.txt"), CacheEntryLayout.FirstField);
        });

        await node.StopAsync(CancellationToken.None);
        await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectAsync(endpoint, Password));

        var again = await node.StartAsync(CancellationToken.None);
        await using (var redis = await ConnectAsync(again, Password))
        {
            Assert.False(await redis.GetDatabase().KeyExistsAsync(CacheEntryLayout.EntryKey("1MB.txt")));
        }

        await node.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_boot_delay_holds_the_port_closed_like_an_EC2_boot()
    {
        var node = Node(TimeSpan.FromSeconds(1.5));
        var clock = Stopwatch.StartNew();

        await node.StartAsync(CancellationToken.None);

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.5), $"ready after {clock.Elapsed}");
        await node.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_restarted_orchestrator_adopts_the_running_node()
    {
        var first = Node();
        var endpoint = await first.StartAsync(CancellationToken.None);
        await using (var redis = await ConnectAsync(endpoint, Password))
        {
            await CacheEntryLayout.StoreAsync(redis.GetDatabase(), Metadata("kept", 3), "yes"u8.ToArray());
        }

        // A new orchestrator process would build a new LocalCacheNode over the same state directory.
        var second = Node();
        var adopted = await second.StartAsync(CancellationToken.None);

        Assert.Equal(endpoint, adopted);
        await using (var redis = await ConnectAsync(adopted, Password))
        {
            Assert.Equal(Metadata("kept", 3), await CacheEntryLayout.ReadMetadataAsync(redis.GetDatabase(), "kept"));
        }

        await second.StopAsync(CancellationToken.None);
        await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectAsync(endpoint, Password));
    }

    private static Task<ConnectionMultiplexer> ConnectAsync(CacheNodeEndpoint endpoint, string? password)
    {
        var options = ConfigurationOptions.Parse(endpoint.ToString());
        options.User = password is null ? null : User;
        options.Password = password;
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 2000;
        return ConnectionMultiplexer.ConnectAsync(options);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Node().StopAsync(CancellationToken.None);
        Directory.Delete(_stateDirectory, recursive: true);
    }
}
