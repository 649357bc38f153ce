using System.Net;
using System.Net.Sockets;

namespace ReactiveCache.Cli.Commands.Bench;

public static class BenchPorts
{
    /// <summary>A loopback TCP port nobody listens on right now (and not <paramref name="except"/>, taken but not yet bound).</summary>
    public static int Free(int except = 0)
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (port != except)
            {
                return port;
            }
        }
    }
}
