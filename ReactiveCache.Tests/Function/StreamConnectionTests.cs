using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.Tests.Function;

/// <summary>
/// A tunnel connection that Kestrel aborts (the gateway went away mid-response) must still tell its owner it is
/// gone: the function counts its dial slots by that, and a slot lost per abort left it with no tunnel after a few
/// bench runs (found by a six-round <c>bench gateway</c>: 32 connections, then 19, 10, 5, 0, never dialled again).
/// </summary>
public class StreamConnectionTests
{
    [Fact]
    public async Task An_aborted_connection_with_unsent_bytes_is_disposed_and_reported_gone()
    {
        var (stream, peer) = await ConnectedPairAsync();
        using var _ = peer;
        var gone = 0;
        var connection = new StreamConnection(stream, stream.Dispose, _ => gone++);

        // Part of a response written but not flushed when the abort comes.
        connection.Transport.Output.Write(new byte[16 * 1024].AsSpan());
        connection.Abort(new ConnectionAbortedException("The gateway went away."));

        await connection.DisposeAsync();

        Assert.Equal(1, gone);
        Assert.True(connection.ConnectionClosed.IsCancellationRequested);
    }

    [Fact]
    public async Task A_connection_whose_transport_failed_under_it_is_still_reported_gone()
    {
        var (stream, peer) = await ConnectedPairAsync();
        using var _ = peer;
        var gone = 0;
        var connection = new StreamConnection(stream, stream.Dispose, _ => gone++);

        connection.Transport.Output.Write(new byte[16 * 1024].AsSpan());
        stream.Dispose(); // the transport ends without Kestrel's abort

        await connection.DisposeAsync();

        Assert.Equal(1, gone);
    }

    [Fact]
    public async Task A_connection_that_ends_normally_sends_what_it_holds()
    {
        var (stream, peer) = await ConnectedPairAsync();
        using var _ = peer;
        var gone = 0;
        var connection = new StreamConnection(stream, stream.Dispose, _ => gone++);

        connection.Transport.Output.Write("bye"u8);
        await connection.DisposeAsync();

        var buffer = new byte[8];
        var read = await peer.ReceiveAsync(buffer);
        Assert.Equal("bye", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        Assert.Equal(1, gone);
    }

    private static async Task<(NetworkStream Stream, Socket Peer)> ConnectedPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        var peer = await listener.AcceptAsync();
        return (new NetworkStream(client, ownsSocket: true), peer);
    }
}
