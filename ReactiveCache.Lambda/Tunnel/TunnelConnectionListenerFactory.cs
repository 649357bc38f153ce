using System.Net;
using Microsoft.AspNetCore.Connections;

namespace ReactiveCache.Lambda.Tunnel;

/// <summary>Kestrel's transport for <see cref="TunnelEndPoint"/>: connections are dialled out, not accepted.</summary>
public sealed class TunnelConnectionListenerFactory(TunnelDialer dialer) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => endpoint is TunnelEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        endpoint is TunnelEndPoint
            ? ValueTask.FromResult<IConnectionListener>(new TunnelConnectionListener(endpoint, dialer))
            : throw new NotSupportedException($"{endpoint} is not a tunnel endpoint.");
}
