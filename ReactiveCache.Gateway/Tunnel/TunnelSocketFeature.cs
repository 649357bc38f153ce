using System.Net.Sockets;

namespace ReactiveCache.Gateway.Tunnel;

/// <summary>A connection accepted on the tunnel port: its network stream, for the tunnel endpoint to take over after the 101.</summary>
internal sealed class TunnelSocketFeature(NetworkStream stream)
{
    public NetworkStream Stream { get; } = stream;
}
