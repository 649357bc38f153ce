using System.Diagnostics;
using System.Text;
using ReactiveCache.Core.Hosting;

namespace ReactiveCache.IntegrationTests.Infrastructure;

/// <summary>
/// A real server started for a test (redis-server, s3rver, …): killed with its children on dispose, and in any case
/// when the test host ends (<see cref="ServerWatchdog"/>).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Process _watchdog;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process)
    {
        _process = process;
        _watchdog = ServerWatchdog.Start(process.Id, Environment.ProcessId);
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static async Task<ServerProcess> StartAsync(string fileName, IEnumerable<string> arguments, int port, TimeSpan? startTimeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.LeaveToChild(); // the test process keeps them off (TestProcessSockets); each server decides for itself

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await FreePort.WaitUntilListeningAsync(port, startTimeout ?? TimeSpan.FromSeconds(30),
                () => $"{fileName} {(process.HasExited ? $"exited with {process.ExitCode}" : "is running")}; output: {server.Output}");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Kills the server now (to test what happens when it disappears).</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        _watchdog.Dispose(); // it ends by itself within a second of the server
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
