using System.Net;
using System.Net.Sockets;

namespace ReactiveCache.IntegrationTests.Infrastructure;

/// <summary>
/// A loopback TCP proxy to <c>target</c> that accepts connections at once but passes no byte either way until
/// <see cref="Open"/>: a server that is slow to answer a new connection (a cache node still coming up, a loaded host).
/// Written here because no served package offers a TCP proxy to put in front of a test server.
/// </summary>
public sealed class GatedTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private readonly Task _accepting;

    public GatedTcpProxy(string target)
    {
        var colon = target.LastIndexOf(':');
        (_targetHost, _targetPort) = (target[..colon], int.Parse(target[(colon + 1)..]));
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The proxy's <c>host:port</c>.</summary>
    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Connections accepted so far.</summary>
    public int Accepted { get; private set; }

    /// <summary>From now on bytes pass (those held back too).</summary>
    public void Open() => _gate.TrySetResult();

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_clients)
                {
                    _clients.Add(client);
                    Accepted++;
                }

                _ = PipeAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        try
        {
            await _gate.Task.WaitAsync(_stop.Token);
            using var target = new TcpClient();
            await target.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            var inbound = client.GetStream();
            var outbound = target.GetStream();
            await Task.WhenAny(inbound.CopyToAsync(outbound, _stop.Token), outbound.CopyToAsync(inbound, _stop.Token));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // One side closed, or the proxy stopped.
        }
        finally
        {
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
        }

        await _accepting;
        _stop.Dispose();
    }
}
