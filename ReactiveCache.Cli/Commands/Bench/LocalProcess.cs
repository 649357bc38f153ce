using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using ReactiveCache.Core.Hosting;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// A server the bench starts as a process of its own on a loopback port (redis-server, nginx, the Lambda emulator,
/// the origin of the floor in another process): its output kept for diagnostics, waited for until it listens,
/// killed with its children when disposed.
/// </summary>
internal sealed class LocalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private LocalProcess(Process process, int port)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>Where it listens, as an HTTP base address.</summary>
    public Uri BaseAddress { get; }

    /// <summary>CPU time it and its live children (nginx's workers) have used so far.</summary>
    public TimeSpan CpuTime => ProcessTreeCpu.Of(_process.Id);

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

    /// <summary>Starts <paramref name="info"/> and returns once it accepts a connection on loopback <paramref name="port"/>; throws, with its output, when it exits or <paramref name="timeout"/> passes first.</summary>
    public static async Task<LocalProcess> StartAsync(ProcessStartInfo info, int port, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        var process = new LocalProcess(Process.Start(info) ?? throw new InvalidOperationException($"Could not start {what}."), port);
        process._process.OutputDataReceived += (_, e) => process.Append(e.Data);
        process._process.ErrorDataReceived += (_, e) => process.Append(e.Data);
        process._process.BeginOutputReadLine();
        process._process.BeginErrorReadLine();

        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, cancellationToken);
                return process;
            }
            catch (SocketException) when (DateTime.UtcNow < until && !process._process.HasExited)
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (SocketException)
            {
                var output = process.Output;
                await process.DisposeAsync();
                throw new InvalidOperationException($"{what} did not start listening on {port}:\n{output}");
            }
            catch
            {
                await process.DisposeAsync();
                throw;
            }
        }
    }

    public static Task<LocalProcess> StartDotnetAsync(string dll, int port, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet");
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        info.LeaveToChild();
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return StartAsync(info, port, Path.GetFileName(dll), TimeSpan.FromSeconds(60), cancellationToken);
    }

    /// <summary>
    /// Bare Kestrel answering <c>GET /objects/{key}</c> from memory in a process of its own (this program again,
    /// <c>bench origin</c>): the origin of the floor that forwards to another process, as the Lambda path forwards to
    /// the function's. It also ends when its standard input closes, so that it never outlives the bench.
    /// </summary>
    public static Task<LocalProcess> StartOriginAsync(CancellationToken cancellationToken)
    {
        var port = BenchPorts.Free();
        var info = SelfProcess.StartInfo(["bench", "origin", "--port", port.ToString(CultureInfo.InvariantCulture)]);
        info.RedirectStandardInput = true;
        // A program started again (just-in-time compiled) takes a few seconds on a loaded machine.
        return StartAsync(info, port, "the bench's origin", TimeSpan.FromSeconds(60), cancellationToken);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }
}
