using ReactiveCache.Gateway.Tunnel;

namespace ReactiveCache.UnitTests.Gateway.Tunnel;

/// <summary>How the forwarder's connection callback takes a function's idle tunnel connection.</summary>
public sealed class TunnelTakeTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_connection_that_closed_while_idle_is_passed_over()
    {
        var tunnel = new FunctionTunnel("a", "fn1.tunnel", ["1KB.txt"]);
        var closed = new TunnelStream(Stream.Null);
        var open = new TunnelStream(Stream.Null);
        tunnel.Add(closed);
        tunnel.Add(open);
        closed.MarkClosed();

        Assert.Same(open, await tunnel.TakeAsync(Long, CancellationToken.None));
    }

    [Fact]
    public async Task A_taker_waiting_when_the_last_connection_ends_fails_at_once()
    {
        var tunnel = new FunctionTunnel("a", "fn1.tunnel", ["1KB.txt"]);
        tunnel.Add(new TunnelStream(Stream.Null));
        await tunnel.TakeAsync(Long, CancellationToken.None);
        var waiting = tunnel.TakeAsync(Long, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        tunnel.Removed();

        // Not after the 30 s wait for a free connection: nothing will come.
        var failed = await Assert.ThrowsAsync<HttpRequestException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains("no tunnel connection left", failed.Message);
    }

    [Fact]
    public async Task A_function_that_dials_again_after_losing_every_connection_is_taken_from_again()
    {
        var tunnel = new FunctionTunnel("a", "fn1.tunnel", ["1KB.txt"]);
        tunnel.Add(new TunnelStream(Stream.Null));
        await tunnel.TakeAsync(Long, CancellationToken.None);
        tunnel.Removed();
        var again = new TunnelStream(Stream.Null);
        tunnel.Add(again);

        Assert.Same(again, await tunnel.TakeAsync(Long, CancellationToken.None));
    }
}
