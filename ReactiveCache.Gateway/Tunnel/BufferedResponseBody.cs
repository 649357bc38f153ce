namespace ReactiveCache.Gateway.Tunnel;

/// <summary>
/// Holds a tunnelled response body back until it is complete (up to a limit), so that a function that
/// dies mid-body is still a failure "before the first response byte" and the request falls back to S3
/// (the thesis's Lambda also answered with one whole message). Past the limit it starts the response and
/// streams the rest. Written by hand: ASP.NET Core's response buffering middleware has no size switch-over
/// and cannot be applied to one forwarded call.
/// </summary>
internal sealed class BufferedResponseBody(Stream response, int limit) : Stream
{
    private MemoryStream? _buffer = new();

    /// <summary>The limit was passed: bytes already went to the client.</summary>
    public bool Spilled => _buffer is null;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        if (_buffer is not null && _buffer.Length + data.Length <= limit)
        {
            _buffer.Write(data.Span);
            return;
        }

        await SpillAsync(cancellationToken);
        await response.WriteAsync(data, cancellationToken);
    }

    /// <summary>Flushes only once streaming: while buffering, a flush would start the response.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _buffer is null ? response.FlushAsync(cancellationToken) : Task.CompletedTask;

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>The whole body arrived: send what was held back.</summary>
    public Task CompleteAsync(CancellationToken cancellationToken) => SpillAsync(cancellationToken);

    private async Task SpillAsync(CancellationToken cancellationToken)
    {
        var buffer = _buffer;
        _buffer = null;
        if (buffer is { Length: > 0 })
        {
            await response.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
