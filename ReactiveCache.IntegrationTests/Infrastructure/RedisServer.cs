using ReactiveCache.Core.Caching;

namespace ReactiveCache.IntegrationTests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> (apt package, installed by the test command) on a free loopback port, without
/// persistence, with the cache node's users as the EC2 node has them: the gateways' read-only user
/// (<see cref="CacheNodeUsers.Reader"/>, <see cref="ReaderPassword"/>), the loader's (<see cref="CacheNodeUsers.Writer"/>,
/// <see cref="WriterPassword"/>), and the default user with a password (<see cref="Password"/>: tests that seed or
/// inspect the node, and the benches' node, sign in as it). Tests that only read and write use the run's shared one
/// (<see cref="RedisServerFixture"/>); tests that kill it own one (<see cref="OwnRedisServerFixture"/>).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string Password = "test-only-password";

    public const string ReaderPassword = "test-only-reader-password";

    public const string WriterPassword = "test-only-writer-password";

    private ServerProcess? _server;

    public int Port { get; private set; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>A StackExchange.Redis connection string.</summary>
    public string ConnectionString => $"{Endpoint},password={Password},abortConnect=false";

    public bool Running => _server is not null;

    /// <summary>Starts the server (again, on the same port after <see cref="StopAsync"/>; it comes back empty).</summary>
    public async Task StartAsync()
    {
        if (Port == 0)
        {
            Port = FreePort.Next();
        }

        _server = await ServerProcess.StartAsync(Executable(),
            ["--bind", "127.0.0.1", "--port", Port.ToString(), "--save", "", "--appendonly", "no", "--requirepass", Password,
                .. UserArguments(CacheNodeUsers.Reader, ReaderPassword, CacheNodeUsers.ReaderRules),
                .. UserArguments(CacheNodeUsers.Writer, WriterPassword, CacheNodeUsers.WriterRules)],
            Port);
    }

    /// <summary>The installed redis-server.</summary>
    public static string Executable() =>
        Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator)
            .Concat(["/usr/bin", "/usr/sbin", "/usr/local/bin"])
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("redis-server is not installed: run the test command (./test.sh), which installs it.");

    /// <summary>A user as redis-server's <c>--user</c> option: the rule line without its leading <c>user</c>.</summary>
    private static IEnumerable<string> UserArguments(string user, string password, string rules) =>
        ["--user", .. CacheNodeUsers.Rule(user, password, rules).Split(' ').Skip(1)];

    /// <summary>Kills the server, as when a cache node disappears.</summary>
    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

/// <summary>The test run's one shared redis-server (started by the first class that needs it, killed when the run ends).</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private static readonly Lazy<Task<RedisServer>> Shared = new(() => SharedServers.StartAsync(async () =>
    {
        var server = new RedisServer();
        await server.StartAsync();
        return server;
    }));

    private RedisServer? _server;

    public RedisServer Server => _server ?? throw new InvalidOperationException("Not initialized.");

    public string Endpoint => Server.Endpoint;

    public string ConnectionString => Server.ConnectionString;

    public async Task InitializeAsync() => _server = await Shared.Value;

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>A redis-server of the test class's own, which its tests may kill and start again.</summary>
public sealed class OwnRedisServerFixture : IAsyncLifetime
{
    public RedisServer Server { get; } = new();

    public Task InitializeAsync() => Server.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
