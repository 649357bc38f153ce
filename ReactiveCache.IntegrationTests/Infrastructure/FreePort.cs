using System.Net;
using System.Net.Sockets;

namespace ReactiveCache.IntegrationTests.Infrastructure;

public static class FreePort
{
    /// <summary>A loopback TCP port nobody listens on right now (and not <paramref name="except"/>): the bench's own finder.</summary>
    public static int Next(int except = 0) => ReactiveCache.Cli.Commands.Bench.BenchPorts.Free(except);

    /// <summary>Waits until something accepts TCP connections on the port, or throws after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilListeningAsync(int port, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            catch (SocketException e)
            {
                throw new TimeoutException($"Nothing listens on 127.0.0.1:{port} after {timeout}. {diagnostics?.Invoke()}", e);
            }
        }
    }
}
