using System.Threading.Channels;

namespace ReactiveCache.Gateway.Tunnel;

/// <summary>
/// The tunnel of one function invocation: the keys it holds and its idle connections, which the
/// forwarder's connection callback takes one at a time (each becomes a pooled HTTP/1.1 connection).
/// </summary>
internal sealed class FunctionTunnel(string invocationId, string host, IReadOnlyList<string> keys)
{
    private int _open;
    private volatile bool _saidGoodbye;

    public string InvocationId { get; } = invocationId;

    /// <summary>The host name the forwarder addresses this tunnel by (<c>http://{Host}/…</c>).</summary>
    public string Host { get; } = host;

    public IReadOnlyList<string> Keys { get; } = keys;

    public Channel<TunnelStream> Idle { get; } = Channel.CreateUnbounded<TunnelStream>();

    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Connected and not leaving: new requests may go here.</summary>
    public bool IsServing => !_saidGoodbye && OpenConnections > 0;

    public bool SaidGoodbye => _saidGoodbye;

    public void Add(TunnelStream stream)
    {
        Interlocked.Increment(ref _open);
        Idle.Writer.TryWrite(stream);
    }

    public int Removed() => Interlocked.Decrement(ref _open);

    public void Goodbye() => _saidGoodbye = true;

    /// <summary>Takes an idle live connection, waiting up to <paramref name="timeout"/> for one.</summary>
    public async ValueTask<TunnelStream> TakeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        while (true)
        {
            if (_saidGoodbye)
            {
                throw new HttpRequestException($"The function {InvocationId} said goodbye.");
            }

            TunnelStream stream;
            try
            {
                stream = await Idle.Reader.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new HttpRequestException($"No tunnel connection of {InvocationId} became free within {timeout}.");
            }

            if (!stream.IsClosed)
            {
                return stream;
            }
        }
    }
}
