using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace ReactiveCache.Core.Tunnel;

/// <summary>
/// A Kestrel connection over a stream: on the function, one tunnel connection it dialled (an upgraded
/// HTTP/1.1 connection or a WebSocket); on the gateway, one socket accepted on its tunnel port. Written by
/// hand: ASP.NET Core ships the abstractions (<see cref="ConnectionContext"/>) but no public stream-backed one.
/// </summary>
public sealed class StreamConnection : ConnectionContext, IConnectionLifetimeFeature
{
    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly CancellationTokenSource _closed = new();
    private readonly Action _abortTransport;
    private readonly Action<StreamConnection> _onDisposed;
    private int _disposed;
    private ConnectionAbortedException? _aborted;

    /// <param name="abortTransport">Drops the transport at once (no close handshake): used by <see cref="Abort"/>.</param>
    public StreamConnection(Stream stream, Action abortTransport, Action<StreamConnection> onDisposed,
        EndPoint? localEndPoint = null, EndPoint? remoteEndPoint = null)
    {
        LocalEndPoint = localEndPoint;
        RemoteEndPoint = remoteEndPoint;
        _stream = stream;
        _abortTransport = abortTransport;
        _onDisposed = onDisposed;
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        _output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024, leaveOpen: true));
        Transport = new DuplexPipe(_input, _output);
        ConnectionClosed = _closed.Token;
        Features.Set<IConnectionLifetimeFeature>(this);
    }

    public override string ConnectionId { get; set; } = $"tunnel-{Guid.NewGuid():N}";

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; }

    public override CancellationToken ConnectionClosed { get; set; }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        // Dropping the transport fails the pending read, which ends Kestrel's connection loop.
        _aborted = abortReason;
        _closed.Cancel();
        _abortTransport();
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _input.CompleteAsync();
            // After an abort nothing more can be sent: completing with the reason drops what is left unflushed
            // instead of writing it to a transport that is gone (which throws, or hangs on a peer not reading).
            await _output.CompleteAsync(_aborted);
            await _stream.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or System.Net.WebSockets.WebSocketException)
        {
            // The transport went first; the connection is gone either way.
        }
        finally
        {
            // Not disposed: it holds no timer, and an abort may still come after this (the function's dialler
            // aborts every connection of a closing session, one of which may be ending on its own).
            await _closed.CancelAsync();
            // Always: the owner counts its connections by this (the function's dial slots).
            _onDisposed(this);
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }
}
