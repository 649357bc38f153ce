using System.Collections.Frozen;
using System.Threading.Channels;
using ReactiveCache.Core.Concurrency;

namespace ReactiveCache.Gateway.Tunnel;

/// <summary>
/// The tunnel of one function invocation: the keys it holds and its idle connections, which the
/// forwarder's connection callback takes one at a time (each becomes a pooled HTTP/1.1 connection, one request at a time).
/// </summary>
internal sealed class FunctionTunnel(string invocationId, string host, IReadOnlyList<string> keys)
{
    private readonly FrozenSet<string> _keys = keys.ToFrozenSet(StringComparer.Ordinal);

    private int _open;

    /// <summary>The requests forwarded here; the goodbye closes it.</summary>
    private readonly InFlightGate _requests = new();

    public string InvocationId { get; } = invocationId;

    /// <summary>The host name the forwarder addresses this tunnel by (<c>http://{Host}/…</c>).</summary>
    public string Host { get; } = host;

    public IReadOnlyList<string> Keys { get; } = keys;

    /// <summary>The forwarder's destination prefix for this function.</summary>
    public string Destination { get; } = $"http://{host}/";

    public bool Holds(string key) => _keys.Contains(key);

    public Channel<TunnelStream> Idle { get; } = Channel.CreateUnbounded<TunnelStream>();

    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Connected and not leaving: new requests may go here.</summary>
    public bool IsServing => !SaidGoodbye && OpenConnections > 0;

    public bool SaidGoodbye => _requests.IsClosed;

    public void Add(TunnelStream stream)
    {
        Interlocked.Increment(ref _open);
        Idle.Writer.TryWrite(stream);
    }

    /// <summary>A connection ended; after the last one, a request waiting for a connection fails at once.</summary>
    public int Removed()
    {
        var open = Interlocked.Decrement(ref _open);
        if (open <= 0)
        {
            // Wakes a waiting taker, which finds no connection left (unless the function dialled again meanwhile).
            Idle.Writer.TryWrite(TunnelStream.Ended);
        }

        return open;
    }

    public void Goodbye() => _requests.Close();

    private int _dials;

    /// <summary>Counts one more dial of this invocation (accepted or being upgraded) unless <paramref name="max"/> are held already.</summary>
    public bool TryReserveDial(int max)
    {
        if (Interlocked.Increment(ref _dials) > max)
        {
            Interlocked.Decrement(ref _dials);
            return false;
        }

        return true;
    }

    /// <summary>A dial counted by <see cref="TryReserveDial"/> ended.</summary>
    public void ReleaseDial() => Interlocked.Decrement(ref _dials);

    /// <summary>A request is being forwarded to this function; false (and not counted) once it said goodbye.</summary>
    public bool TryEnter() => _requests.TryEnter();

    public void Exit() => _requests.Exit();

    /// <summary>
    /// After the goodbye: waits until every request already forwarded here has its answer (the thesis's
    /// gateway drained before acknowledging <c>lambdaBye</c>), or <paramref name="timeout"/> passed on <paramref name="time"/>.
    /// </summary>
    public Task<bool> DrainAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        _requests.WaitIdleAsync(timeout, time, cancellationToken);

    /// <summary>
    /// Takes an idle live connection, waiting up to <paramref name="timeout"/> for one; fails at once when the
    /// function has no connection left (its process died: nothing will come).
    /// </summary>
    public async ValueTask<TunnelStream> TakeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        while (true)
        {
            if (SaidGoodbye)
            {
                throw new HttpRequestException($"The function {InvocationId} said goodbye.");
            }

            if (OpenConnections <= 0)
            {
                throw new HttpRequestException($"The function {InvocationId} has no tunnel connection left.");
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

            if (await stream.TryTakeAsync())
            {
                return stream;
            }
        }
    }
}
