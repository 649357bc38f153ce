using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using ReactiveCache.Core.Caching;
using ReactiveCache.Core.Objects;
using ReactiveCache.Domain;
using CacheNodeConnection = ReactiveCache.Gateway.CacheNode.CacheNodeConnection;
using ReactiveCache.IntegrationTests.Gateway;
using ReactiveCache.IntegrationTests.Infrastructure;
using ReactiveCache.Orchestrator.CacheNode;
using StackExchange.Redis;

namespace ReactiveCache.IntegrationTests.Orchestrator.CacheNode;

/// <summary>
/// Who may do what on the cache node (<see cref="CacheNodeUsers"/>), on both servers it runs on: gateways sign in
/// as a user that reads entries and can change nothing, the orchestrator's loader as one that stores and deletes
/// them, and nobody works without signing in. The loads go through the real <see cref="NodeLoader"/>, the reads
/// through the real gateway.
/// </summary>
public abstract class CacheNodeAccessContract
{
    protected abstract S3rverFixture S3 { get; }

    protected abstract CacheNodeEndpoint Endpoint { get; }

    protected abstract string ReaderPassword { get; }

    protected abstract string WriterPassword { get; }

    /// <summary>A key of this class's own in s3rver (the servers are shared with other classes).</summary>
    protected abstract string Key { get; }

    private static readonly byte[] Content = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("read by gateways, written by the loader\n", 80)));

    [Fact]
    public async Task The_reader_reads_an_entry_and_may_not_write_delete_or_flush_it()
    {
        await LoadAsync();
        await using var reader = await ConnectAsync(CacheNodeUsers.Reader, ReaderPassword);
        var database = reader.GetDatabase();
        var entry = CacheEntryLayout.EntryKey(Key);

        var metadata = await CacheEntryLayout.ReadMetadataAsync(database, Key);
        Assert.NotNull(metadata);
        Assert.Equal(Content.Length, metadata.Length);

        await AssertNoPermissionAsync(database.HashSetAsync(entry, CacheEntryLayout.FirstField, "overwritten"));
        await AssertNoPermissionAsync(database.KeyDeleteAsync(entry));
        await AssertNoPermissionAsync(database.ExecuteAsync("FLUSHALL"));
        await AssertNoPermissionAsync(database.ExecuteAsync("CONFIG", "SET", "maxmemory", "1mb"));
        Assert.Equal(metadata, await CacheEntryLayout.ReadMetadataAsync(database, Key));
    }

    [Fact]
    public async Task The_loader_loads_and_evicts_but_may_not_flush_or_reconfigure_the_node()
    {
        await PutAsync();
        await using var loader = Loader();
        Assert.True(await loader.PingAsync(Endpoint, TimeSpan.FromSeconds(10)));
        Assert.True(await loader.LoadAsync(Endpoint, Key, CancellationToken.None));
        await using var writer = await ConnectAsync(CacheNodeUsers.Writer, WriterPassword);
        var database = writer.GetDatabase();
        Assert.True(await database.KeyExistsAsync(CacheEntryLayout.EntryKey(Key)));

        await AssertNoPermissionAsync(database.ExecuteAsync("FLUSHALL"));
        await AssertNoPermissionAsync(database.ExecuteAsync("CONFIG", "SET", "maxmemory", "1mb"));

        await loader.EvictAsync(Endpoint, Key);
        Assert.False(await database.KeyExistsAsync(CacheEntryLayout.EntryKey(Key)));
    }

    [Fact]
    public async Task Without_signing_in_or_with_a_wrong_password_nothing_runs()
    {
        await LoadAsync();

        await Assert.ThrowsAnyAsync<RedisException>(async () =>
        {
            await using var anonymous = await ConnectAsync(user: null, password: null);
            await anonymous.GetDatabase().HashGetAsync(CacheEntryLayout.EntryKey(Key), CacheEntryLayout.FirstField);
        });
        await Assert.ThrowsAnyAsync<RedisException>(async () =>
        {
            await using var wrong = await ConnectAsync(CacheNodeUsers.Reader, WriterPassword);
            await wrong.GetDatabase().HashGetAsync(CacheEntryLayout.EntryKey(Key), CacheEntryLayout.FirstField);
        });
    }

    [Fact]
    public async Task A_gateway_signed_in_as_the_reader_serves_an_entry_from_the_node()
    {
        await LoadAsync();
        await using var gateway = new GatewayFactory(S3, cacheNodeEndpoint: Endpoint.ToString(), settings: new Dictionary<string, string?>
        {
            ["CacheNode:User"] = CacheNodeUsers.Reader,
            ["CacheNode:Password"] = ReaderPassword,
        });
        using var client = gateway.CreateClient();
        gateway.Route(Key, CacheLayer.Redis);
        await Eventually.HoldsAsync(() => gateway.Services.GetService(typeof(CacheNodeConnection)) is CacheNodeConnection { Current.Connected: true },
            TimeSpan.FromSeconds(10), "cache node connected");

        using var response = await client.GetAsync($"/objects/{Key}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("redis", response.Headers.GetValues("Content-Origin").Single());
        Assert.Equal(Content, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Puts this class's object into s3rver and loads it onto the node as the orchestrator does.</summary>
    protected async Task LoadAsync()
    {
        await PutAsync();
        await using var loader = Loader();
        Assert.True(await loader.LoadAsync(Endpoint, Key, CancellationToken.None));
    }

    private async Task PutAsync()
    {
        using var s3 = S3.CreateClient();
        await S3rverFixture.PutAsync(s3, Key, Content);
    }

    protected NodeLoader Loader() => new(
        new S3ObjectStore(S3.CreateClient(), Microsoft.Extensions.Options.Options.Create(S3.Options)),
        Microsoft.Extensions.Options.Options.Create(new CacheNodeOptions { User = CacheNodeUsers.Writer, Password = WriterPassword }),
        NullLogger<NodeLoader>.Instance);

    /// <summary>A connection as <paramref name="user"/> (none: not signed in). Admin commands allowed on the client's side: the node decides.</summary>
    protected Task<ConnectionMultiplexer> ConnectAsync(string? user, string? password)
    {
        var options = ConfigurationOptions.Parse(Endpoint.ToString());
        options.User = user;
        options.Password = password;
        options.AllowAdmin = true;
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 5000;
        return ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <summary>The node's default user lets nobody in, with any password (the node's own users' included).</summary>
    protected async Task AssertDefaultUserIsOffAsync()
    {
        foreach (var password in new[] { ReaderPassword, WriterPassword, "" })
        {
            await Assert.ThrowsAnyAsync<RedisException>(async () =>
            {
                await using var connection = await ConnectAsync("default", password);
                await connection.GetDatabase().PingAsync();
            });
        }
    }

    protected static async Task AssertNoPermissionAsync(Task command)
    {
        var error = await Assert.ThrowsAsync<RedisServerException>(() => command);
        Assert.StartsWith("NOPERM", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>The local node: the real ReactiveCache.CacheNode process (Garnet), started as the orchestrator starts it.</summary>
public sealed class GarnetNodeAccessTests(GarnetNodeAccessTests.Node node) : CacheNodeAccessContract, IClassFixture<GarnetNodeAccessTests.Node>
{
    protected override S3rverFixture S3 => node.S3;

    protected override CacheNodeEndpoint Endpoint => node.Endpoint;

    protected override string ReaderPassword => Node.Reader;

    protected override string WriterPassword => Node.Writer;

    protected override string Key => "cache-node-access-garnet.txt";

    [Fact]
    public Task The_default_user_is_off_whatever_the_password() => AssertDefaultUserIsOffAsync();

    [Fact]
    public async Task The_loader_adopts_the_node_and_leaves_only_what_it_keeps()
    {
        await LoadAsync();
        await using var writer = await ConnectAsync(CacheNodeUsers.Writer, WriterPassword);
        await CacheEntryLayout.StoreAsync(writer.GetDatabase(), new ObjectMetadata("left-behind.txt", 1, "\"e\"", "text/plain", DateTimeOffset.UnixEpoch), "x"u8.ToArray());

        await using var loader = Loader();
        var kept = await loader.AdoptAsync(Endpoint, [Key], CancellationToken.None);

        Assert.Equal([Key], kept);
        Assert.False(await writer.GetDatabase().KeyExistsAsync(CacheEntryLayout.EntryKey("left-behind.txt")));
    }

    [Fact]
    public void The_users_file_is_gone_once_the_node_runs()
    {
        // The node wrote its ACL file (with these passwords) into a private temporary directory and deleted it after reading it.
        var left = Directory.GetDirectories(Path.GetTempPath(), "reactive-cache-node-acl-*")
            .SelectMany(directory => Directory.GetFiles(directory))
            .Where(file => File.ReadAllText(file).Contains(Node.Reader, StringComparison.Ordinal));
        Assert.Empty(left);
    }

    /// <summary>The node of this class, with both users, and the run's s3rver.</summary>
    public sealed class Node : IAsyncLifetime
    {
        public const string Reader = "garnet-access-tests-reader-password";
        public const string Writer = "garnet-access-tests-writer-password";

        private readonly string _stateDirectory = Directory.CreateTempSubdirectory("cache-node-access-").FullName;
        private LocalCacheNode? _node;

        public S3rverFixture S3 { get; } = new();

        public CacheNodeEndpoint Endpoint { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await S3.InitializeAsync();
            _node = new LocalCacheNode(
                Microsoft.Extensions.Options.Options.Create(new CacheNodeOptions
                {
                    User = CacheNodeUsers.Writer,
                    Password = Writer,
                    ReaderUser = CacheNodeUsers.Reader,
                    ReaderPassword = Reader,
                    StateDirectory = _stateDirectory,
                    ReadyTimeout = TimeSpan.FromSeconds(60),
                    Memory = "64m",
                    OwnerProcessId = Environment.ProcessId,
                }),
                new RedisProbe(TimeProvider.System),
                NullLogger<LocalCacheNode>.Instance);
            Endpoint = await _node.StartAsync(CancellationToken.None);
        }

        public async Task DisposeAsync()
        {
            if (_node is not null)
            {
                await _node.StopAsync(CancellationToken.None);
            }

            Directory.Delete(_stateDirectory, recursive: true);
        }
    }
}

/// <summary>redis-server with the users the EC2 node gets (the run's shared one: <see cref="RedisServer"/>).</summary>
public sealed class RedisServerAccessTests(SharedGatewayServers servers) : CacheNodeAccessContract, IClassFixture<SharedGatewayServers>
{
    protected override S3rverFixture S3 => servers.S3;

    protected override CacheNodeEndpoint Endpoint => new("127.0.0.1", servers.Redis.Port);

    protected override string ReaderPassword => RedisServer.ReaderPassword;

    protected override string WriterPassword => RedisServer.WriterPassword;

    protected override string Key => "cache-node-access-redis.txt";
}
