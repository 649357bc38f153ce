using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.IntegrationTests.Core.Tunnel;

/// <summary>
/// A tunnel connection that Kestrel aborts (the gateway went away mid-response) must still tell its owner it is
/// gone: the function counts its dial slots by that, and a slot lost per abort left it with no tunnel after a few
/// bench runs (found by <c>bench gateway</c>: docs/gateway.md, "Aborted connections").
/// </summary>
public class StreamConnectionTests
{
    [Fact]
    public async Task An_aborted_connection_with_unsent_bytes_is_disposed_and_reported_gone()
    {
        await using var rig = await Rig.StartAsync();

        // Part of a response written but not flushed when the abort comes.
        rig.Connection.Transport.Output.Write(new byte[16 * 1024].AsSpan());
        rig.Connection.Abort(new ConnectionAbortedException("The gateway went away."));

        await rig.Connection.DisposeAsync();

        Assert.Equal(1, rig.Gone);
        Assert.True(rig.Connection.ConnectionClosed.IsCancellationRequested);
    }

    [Fact]
    public async Task A_connection_whose_transport_failed_under_it_is_still_reported_gone()
    {
        await using var rig = await Rig.StartAsync();

        rig.Connection.Transport.Output.Write(new byte[16 * 1024].AsSpan());
        rig.Stream.Dispose(); // the transport ends without Kestrel's abort

        await rig.Connection.DisposeAsync();

        Assert.Equal(1, rig.Gone);
    }

    [Fact]
    public async Task A_connection_that_ends_normally_sends_what_it_holds()
    {
        await using var rig = await Rig.StartAsync();

        rig.Connection.Transport.Output.Write("bye"u8);
        await rig.Connection.DisposeAsync();

        var buffer = new byte[8];
        var read = await rig.Peer.ReceiveAsync(buffer);
        Assert.Equal("bye", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        Assert.Equal(1, rig.Gone);
    }

    [Fact]
    public async Task An_abort_after_the_connection_ended_does_nothing()
    {
        await using var rig = await Rig.StartAsync();
        await rig.Connection.DisposeAsync();

        // The function's dialler aborts every connection of a closing session, including one just ended.
        rig.Connection.Abort(new ConnectionAbortedException("The invocation ended."));

        Assert.Equal(1, rig.Gone);
    }

    /// <summary>A connection over one end of a loopback socket pair; <see cref="Gone"/> counts its owner's callbacks.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private Rig(NetworkStream stream, Socket peer)
        {
            Stream = stream;
            Peer = peer;
            Connection = new StreamConnection(stream, stream.Dispose, _ => Gone++);
        }

        public NetworkStream Stream { get; }

        public Socket Peer { get; }

        public StreamConnection Connection { get; }

        public int Gone { get; private set; }

        public static async Task<Rig> StartAsync()
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(listener.LocalEndPoint!);
            var peer = await listener.AcceptAsync();
            return new Rig(new NetworkStream(client, ownsSocket: true), peer);
        }

        public async ValueTask DisposeAsync()
        {
            await Connection.DisposeAsync();
            Peer.Dispose();
        }
    }
}
