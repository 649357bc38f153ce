using System.Net;
using System.Net.Sockets;

namespace ReactiveCache.Cli.Commands.Bench;

public static class BenchPorts
{
    /// <summary>A loopback TCP port nobody listens on right now.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
