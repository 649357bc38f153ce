using Microsoft.Extensions.Time.Testing;
using ReactiveCache.Gateway.Tunnel;

namespace ReactiveCache.UnitTests.Gateway.Tunnel;

/// <summary>A function's goodbye: no new requests go to it, and the drain ends when those already forwarded have their answers.</summary>
public sealed class FunctionTunnelDrainTests
{
    private static readonly TimeSpan Settled = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _clock = new();
    private readonly FunctionTunnel _tunnel = new("invocation", "invocation.tunnel", ["1KB.txt"]);

    [Fact]
    public async Task After_the_goodbye_no_request_enters_and_the_drain_ends_with_the_last_one_forwarded()
    {
        Assert.True(_tunnel.TryEnter());
        Assert.True(_tunnel.TryEnter());

        _tunnel.Goodbye();
        var drained = _tunnel.DrainAsync(TimeSpan.FromSeconds(5), _clock, CancellationToken.None);

        Assert.True(_tunnel.SaidGoodbye);
        Assert.False(_tunnel.TryEnter());
        _tunnel.Exit();
        Assert.False(drained.IsCompleted);
        _tunnel.Exit();
        Assert.True(await drained.WaitAsync(Settled));
    }

    [Fact]
    public async Task A_drain_gives_up_after_its_timeout()
    {
        Assert.True(_tunnel.TryEnter());
        _tunnel.Goodbye();

        // An hour: only the fake clock can end it within the test.
        var drained = _tunnel.DrainAsync(TimeSpan.FromHours(1), _clock, CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromTicks(1));
        Assert.False(drained.IsCompleted);
        _clock.Advance(TimeSpan.FromTicks(1));

        Assert.False(await drained.WaitAsync(Settled));
    }
}
