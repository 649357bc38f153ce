using System.Net;
using Microsoft.AspNetCore.Connections;

namespace ReactiveCache.Lambda.Tunnel;

/// <summary>
/// Kestrel's accept loop over the tunnel: each accept is a new outbound WebSocket to the gateway,
/// dialled when an invocation is active and a connection slot is free.
/// </summary>
internal sealed class TunnelConnectionListener(EndPoint endpoint, TunnelDialer dialer) : IConnectionListener
{
    private readonly CancellationTokenSource _unbound = new();

    public EndPoint EndPoint { get; } = endpoint;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _unbound.Token);
        try
        {
            return await dialer.AcceptAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            // Unbound: Kestrel stops accepting.
            return null;
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _unbound.Cancel();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _unbound.Cancel();
        _unbound.Dispose();
        return ValueTask.CompletedTask;
    }
}
