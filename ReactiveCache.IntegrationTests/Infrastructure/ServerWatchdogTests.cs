using System.Diagnostics;

namespace ReactiveCache.IntegrationTests.Infrastructure;

/// <summary>
/// A server the tests start does not outlive the test host (<see cref="ServerWatchdog"/>): here a stand-in owner
/// process plays the host, so that it can be killed as the runner kills a host.
/// </summary>
public sealed class ServerWatchdogTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_server_ends_soon_after_the_process_that_started_it_is_killed()
    {
        using var owner = Process.Start("sleep", "300");
        using var server = Process.Start("sleep", "300");
        using var watchdog = ServerWatchdog.Start(server.Id, owner.Id);
        await Task.Delay(1500);
        Assert.False(server.HasExited);

        owner.Kill();

        await server.WaitForExitAsync().WaitAsync(Wait);
        await watchdog.WaitForExitAsync().WaitAsync(Wait);
    }

    [Fact]
    public async Task The_watchdog_ends_with_its_server()
    {
        using var server = Process.Start("sleep", "300");
        using var watchdog = ServerWatchdog.Start(server.Id, Environment.ProcessId);

        server.Kill();

        await watchdog.WaitForExitAsync().WaitAsync(Wait);
    }

    [Fact]
    public async Task A_server_process_of_the_tests_has_its_watchdog()
    {
        var port = FreePort.Next();
        await using var redis = await ServerProcess.StartAsync(RedisServer.Executable(),
            ["--bind", "127.0.0.1", "--port", port.ToString(), "--save", "", "--appendonly", "no"], port);

        var watchdogs = Directory.GetDirectories("/proc")
            .Select(d => Path.Combine(d, "cmdline"))
            .Where(File.Exists)
            .Select(f => { try { return File.ReadAllText(f).Split('\0'); } catch (IOException) { return []; } })
            .Where(argv => argv.Contains("server-watchdog") && argv.Contains(Environment.ProcessId.ToString()));
        Assert.NotEmpty(watchdogs);
    }
}
