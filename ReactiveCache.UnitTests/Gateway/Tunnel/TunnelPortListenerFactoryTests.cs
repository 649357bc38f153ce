using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using ReactiveCache.Gateway.Tunnel;

namespace ReactiveCache.UnitTests.Gateway.Tunnel;

/// <summary>The tunnel port's transport binds only that port (its sockets: the integration tests).</summary>
public sealed class TunnelPortListenerFactoryTests
{
    [Fact]
    public void It_binds_only_the_tunnel_port()
    {
        var factory = Factory(7100);

        Assert.True(factory.CanBind(new IPEndPoint(IPAddress.Loopback, 7100)));
        Assert.True(factory.CanBind(new IPEndPoint(IPAddress.IPv6Loopback, 7100)));
        Assert.False(factory.CanBind(new IPEndPoint(IPAddress.Loopback, 7101)));
        Assert.False(factory.CanBind(new UnixDomainSocketEndPoint("/tmp/reactive-cache-test.sock")));
        Assert.False(Factory(null).CanBind(new IPEndPoint(IPAddress.Loopback, 7100)));
    }

    private static TunnelPortListenerFactory Factory(int? port) => new(Options.Create(new TunnelOptions { ListenPort = port }));
}
