using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>A server the bench starts as a process of its own (redis-server, nginx, the origin): started with its output drained, then waited for until it listens.</summary>
internal static class BenchChildProcess
{
    /// <summary>Starts <paramref name="info"/> with its standard output and error read and dropped (a full pipe would stall it).</summary>
    public static Process Start(ProcessStartInfo info, string what)
    {
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {what}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Returns once <paramref name="process"/> accepts a connection on loopback <paramref name="port"/>; throws when it exits or <paramref name="timeout"/> passes first.</summary>
    public static async Task WaitUntilListeningAsync(Process process, int port, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"{what} did not listen on {port}.", e);
            }
        }
    }
}
