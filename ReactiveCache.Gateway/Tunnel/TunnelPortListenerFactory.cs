using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.Gateway.Tunnel;

/// <summary>
/// Kestrel's transport for the tunnel port (<see cref="TunnelOptions.ListenPort"/>; every other endpoint keeps
/// the socket transport): plain accepted sockets, each a <see cref="StreamConnection"/> over its
/// <see cref="NetworkStream"/>. Kestrel parses the function's dial and answers it as on any port; after the
/// 101, the tunnel endpoint hands the forwarder that network stream itself (<see cref="TunnelSocketFeature"/>),
/// so that tunnelled requests and responses go straight to and from the socket instead of through Kestrel's
/// transport pipes and its send and receive loops. Written by hand: Kestrel's socket transport offers no way to
/// take a connection's socket over.
/// </summary>
internal sealed class TunnelPortListenerFactory(IOptions<TunnelOptions> options) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) =>
        endpoint is IPEndPoint ip && options.Value.ListenPort is { } port && ip.Port == port;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var ip = (IPEndPoint)endpoint;
        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (ip.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(ip);
            socket.Listen(512);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new AddressInUseException(e.Message, e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return ValueTask.FromResult<IConnectionListener>(new Listener(socket));
    }

    private sealed class Listener(Socket socket) : IConnectionListener
    {
        public EndPoint EndPoint { get; } = socket.LocalEndPoint!;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            while (true)
            {
                Socket accepted;
                try
                {
                    accepted = await socket.AcceptAsync(cancellationToken);
                }
                catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException
                                              || e is SocketException { SocketErrorCode: SocketError.OperationAborted or SocketError.Interrupted })
                {
                    // Unbound or stopping: no more connections.
                    return null;
                }
                catch (SocketException)
                {
                    // The peer reset the connection before it was accepted: take the next one.
                    continue;
                }

                accepted.NoDelay = true;
                var stream = new NetworkStream(accepted, ownsSocket: true);
                var connection = new StreamConnection(stream, stream.Dispose, _ => { }, accepted.LocalEndPoint, accepted.RemoteEndPoint);
                connection.Features.Set(new TunnelSocketFeature(stream));
                return connection;
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
