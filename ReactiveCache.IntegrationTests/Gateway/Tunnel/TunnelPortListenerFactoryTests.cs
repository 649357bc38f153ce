using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using ReactiveCache.Gateway.Tunnel;
using ReactiveCache.IntegrationTests.Infrastructure;

namespace ReactiveCache.IntegrationTests.Gateway.Tunnel;

/// <summary>The tunnel port's transport on real sockets: it hands Kestrel connections whose socket stream can be taken over.</summary>
public sealed class TunnelPortListenerFactoryTests
{
    [Fact]
    public async Task An_accepted_connection_carries_its_socket_stream_and_the_peer()
    {
        var port = FreePort.Next();
        await using var listener = await Factory(port).BindAsync(new IPEndPoint(IPAddress.Loopback, port));
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(IPAddress.Loopback, port);

        await using var connection = (await listener.AcceptAsync())!;

        Assert.Equal(client.Client.LocalEndPoint, connection.RemoteEndPoint);
        var feature = connection.Features.Get<TunnelSocketFeature>();
        Assert.NotNull(feature);
        // What the client sends arrives on the stream the tunnel endpoint takes over, and back.
        await client.GetStream().WriteAsync("ping"u8.ToArray());
        var buffer = new byte[4];
        await feature.Stream.ReadExactlyAsync(buffer);
        Assert.Equal("ping"u8.ToArray(), buffer);
        await feature.Stream.WriteAsync("pong"u8.ToArray());
        await client.GetStream().ReadExactlyAsync(buffer);
        Assert.Equal("pong"u8.ToArray(), buffer);
    }

    [Fact]
    public async Task Unbinding_ends_the_accepts_and_a_taken_port_is_reported_as_in_use()
    {
        var port = FreePort.Next();
        var listener = await Factory(port).BindAsync(new IPEndPoint(IPAddress.Loopback, port));

        await Assert.ThrowsAsync<AddressInUseException>(async () => await Factory(port).BindAsync(new IPEndPoint(IPAddress.Loopback, port)));

        var accept = listener.AcceptAsync().AsTask();
        await listener.UnbindAsync();
        Assert.Null(await accept.WaitAsync(TimeSpan.FromSeconds(5)));
        await listener.DisposeAsync();
    }

    private static TunnelPortListenerFactory Factory(int? port) => new(Options.Create(new TunnelOptions { ListenPort = port }));
}
