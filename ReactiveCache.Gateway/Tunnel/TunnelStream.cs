using System.Net.Sockets;

namespace ReactiveCache.Gateway.Tunnel;

/// <summary>
/// One tunnel connection as the gateway's HTTP client sees it (a function's socket on the tunnel port, Kestrel's
/// upgraded stream, or a WebSocket), which
/// tells the tunnel endpoint when the client is done with it. Written by hand: a pass-through stream
/// with a completion signal has no BCL equivalent.
/// </summary>
internal sealed class TunnelStream(Stream inner) : Stream
{
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _idleWatch;
    private Task _watching = Task.CompletedTask;

    /// <summary>A closed stand-in that wakes a taker waiting on an idle queue (<see cref="FunctionTunnel.Removed"/>).</summary>
    public static TunnelStream Ended { get; } = CreateEnded();

    /// <summary>Completes when the stream was disposed or the WebSocket under it went away.</summary>
    public Task Closed => _closed.Task;

    public bool IsClosed => _closed.Task.IsCompleted;

    public void MarkClosed() => _closed.TrySetResult();

    /// <summary>
    /// Watches <paramref name="socket"/> (the one under this stream) while the connection waits, untaken, in its
    /// tunnel's idle queue: nobody else reads it then, so a function whose process died would otherwise stay
    /// "connected" until a request tried it. A zero-byte receive completes when the peer closes (or sends);
    /// the end of the stream marks it closed, which ends the tunnel endpoint's request for it. Kestrel's socket
    /// transport does this for the ordinary port by reading all the time; a watch costs nothing per request.
    /// </summary>
    public void WatchWhileIdle(Socket socket)
    {
        _idleWatch = new CancellationTokenSource();
        _watching = WatchAsync(socket, _idleWatch.Token);
    }

    /// <summary>Ends the idle watch before the forwarder takes the connection; false if the peer is gone.</summary>
    public async ValueTask<bool> TryTakeAsync()
    {
        if (_idleWatch is { } watch)
        {
            _idleWatch = null;
            await watch.CancelAsync();
            await _watching;
            watch.Dispose();
        }

        return !IsClosed;
    }

    private static TunnelStream CreateEnded()
    {
        var ended = new TunnelStream(Null);
        ended.MarkClosed();
        return ended;
    }

    private async Task WatchAsync(Socket socket, CancellationToken cancellationToken)
    {
        try
        {
            await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancellationToken);
            if (socket.Available == 0)
            {
                MarkClosed();
            }
        }
        catch (OperationCanceledException)
        {
            // Taken by the forwarder: it reads the connection from here on.
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            MarkClosed();
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    // A read that ends the stream (0 bytes for a non-empty buffer) means the function closed the connection or its
    // process died. The forwarder's connection pool reads ahead on the connections it keeps idle between requests
    // (that is how it notices a closed one), so marking the stream closed here tells the tunnel endpoint at once,
    // instead of when the pool next scavenges (seconds later) or a request tries the dead connection.
    public override int Read(byte[] buffer, int offset, int count) => AtEnd(inner.Read(buffer, offset, count), count);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        AtEnd(await inner.ReadAsync(buffer, cancellationToken), buffer.Length);

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        AtEnd(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken), count);

    private int AtEnd(int read, int asked)
    {
        if (read == 0 && asked > 0)
        {
            MarkClosed();
        }

        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            MarkClosed();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        MarkClosed();
        await base.DisposeAsync();
    }
}
