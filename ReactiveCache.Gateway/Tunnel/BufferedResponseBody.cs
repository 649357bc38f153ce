using System.Buffers;
using System.IO.Pipelines;
using ReactiveCache.Gateway.Limits;

namespace ReactiveCache.Gateway.Tunnel;

/// <summary>
/// Holds a tunnelled response body back until it is complete (up to a limit), so that a function that
/// dies mid-body is still a failure "before the first response byte" and the request falls back to S3
/// (the thesis's Lambda also answered with one whole message). Past the limit it starts the response and
/// streams the rest. The held bytes sit in an unflushed <see cref="Pipe"/>: pooled segments, no copy on
/// growth, returned to the pool when the body is sent or dropped. Written by hand: ASP.NET Core's response
/// buffering middleware has no size switch-over and cannot be applied to one forwarded call.
/// The held bytes also count against the gateway-wide <see cref="HeldBodyBudget"/> (when one is given): when it
/// is used up, the body streams from then on, as past the limit.
/// </summary>
internal sealed class BufferedResponseBody(Stream response, int limit, HeldBodyBudget? budget = null) : Stream
{
    /// <summary>Segments as large as the forwarder's copy buffer: a 1 MB body is 16 of them.</summary>
    private static readonly PipeOptions HoldOptions = new(
        pauseWriterThreshold: 0, resumeWriterThreshold: 0, minimumSegmentSize: 64 * 1024, useSynchronizationContext: false);

    private Pipe? _held = new(HoldOptions);
    private bool _spilled;
    private long _reserved;

    /// <summary>Bytes went to the client (the limit was passed, or the body completed).</summary>
    public bool Spilled => _spilled;

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
        if (_held is { } held && held.Writer.UnflushedBytes + data.Length <= limit && (budget is null || budget.TryReserve(data.Length)))
        {
            _reserved += data.Length;
            held.Writer.Write(data.Span);
            return;
        }

        if (!_spilled && _held is null)
        {
            throw new ObjectDisposedException(nameof(BufferedResponseBody), "The held-back body was discarded.");
        }

        await SpillAsync(cancellationToken);
        await response.WriteAsync(data, cancellationToken);
    }

    /// <summary>Flushes only once streaming: while holding back, a flush would start the response.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _spilled ? response.FlushAsync(cancellationToken) : Task.CompletedTask;

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>The whole body arrived: send what was held back.</summary>
    public Task CompleteAsync(CancellationToken cancellationToken) => SpillAsync(cancellationToken);

    /// <summary>Drops what was held back (the request falls back): the segments go back to the pool.</summary>
    public void Discard()
    {
        if (Interlocked.Exchange(ref _held, null) is { } held)
        {
            held.Writer.Complete();
            held.Reader.Complete();
            ReleaseBudget();
        }
    }

    private void ReleaseBudget()
    {
        budget?.Release(_reserved);
        _reserved = 0;
    }

    private async Task SpillAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _held, null) is not { } held)
        {
            return;
        }

        _spilled = true;
        try
        {
            if (held.Writer.UnflushedBytes > 0)
            {
                await held.Writer.FlushAsync(cancellationToken);
                held.Writer.Complete();
                await held.Reader.CopyToAsync(response, cancellationToken);
            }
        }
        finally
        {
            held.Writer.Complete();
            held.Reader.Complete();
            ReleaseBudget();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Discard();
        }

        base.Dispose(disposing);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
