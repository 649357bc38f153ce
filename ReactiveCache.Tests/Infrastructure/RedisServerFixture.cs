namespace ReactiveCache.Tests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> (apt package, installed by the test command) on a free loopback port,
/// without persistence, with a password.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    public const string Password = "test-only-password";

    private ServerProcess? _server;

    public int Port { get; private set; }

    /// <summary>A StackExchange.Redis connection string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},password={Password},abortConnect=false";

    public Task InitializeAsync() => StartAsync();

    /// <summary>Starts the server (again, on the same port after <see cref="StopAsync"/>; it comes back empty).</summary>
    public async Task StartAsync()
    {
        if (Port == 0)
        {
            Port = FreePort.Next();
        }

        var path = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator)
            .Concat(["/usr/bin", "/usr/sbin", "/usr/local/bin"])
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed: run the test command (./test.sh), which installs it.");

        _server = await ServerProcess.StartAsync(path,
            ["--bind", "127.0.0.1", "--port", Port.ToString(), "--save", "", "--appendonly", "no", "--requirepass", Password],
            Port);
    }

    /// <summary>Kills the server, as when a cache node disappears.</summary>
    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    public Task DisposeAsync() => StopAsync();
}
