using System.Diagnostics;
using System.Security.Cryptography;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>A throw-away <c>redis-server</c> on a free loopback port, with a random password, no persistence.</summary>
public sealed class BenchRedisServer : IAsyncDisposable
{
    private readonly LocalProcess _process;

    private BenchRedisServer(LocalProcess process, int port, string password)
    {
        _process = process;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    public string Password { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>CPU time the server has used so far.</summary>
    public TimeSpan CpuTime => _process.CpuTime;

    public static async Task<BenchRedisServer> StartAsync(CancellationToken cancellationToken)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Concat(["/usr/bin", "/usr/sbin", "/usr/local/bin"])
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed (Debian: apt-get install redis-server).");

        var port = BenchPorts.Free();
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var info = new ProcessStartInfo(path);
        foreach (var argument in new[] { "--bind", "127.0.0.1", "--port", port.ToString(), "--save", "", "--appendonly", "no", "--requirepass", password })
        {
            info.ArgumentList.Add(argument);
        }

        return new BenchRedisServer(await LocalProcess.StartAsync(info, port, "redis-server", TimeSpan.FromSeconds(10), cancellationToken), port, password);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
