using ReactiveCache.Gateway.Limits;
using ReactiveCache.Gateway.Tunnel;

namespace ReactiveCache.UnitTests.Gateway.Tunnel;

/// <summary>The tunnel's held-back response body: nothing reaches the client before it is whole, unless it passes the limit.</summary>
public sealed class BufferedResponseBodyTests
{
    private static byte[] Bytes(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 31 % 251)).ToArray();

    [Fact]
    public async Task A_body_under_the_limit_reaches_the_client_only_when_complete_and_whole()
    {
        var body = Bytes(300_000);
        var client = new MemoryStream();
        using var held = new BufferedResponseBody(client, limit: 1_000_000);
        // Written the way the forwarder copies: pieces of varying size, across the pipe's segments.
        for (var offset = 0; offset < body.Length; offset += 70_000)
        {
            await held.WriteAsync(body.AsMemory(offset, Math.Min(70_000, body.Length - offset)));
            await held.FlushAsync();
        }

        Assert.Equal(0, client.Length);
        Assert.False(held.Spilled);

        await held.CompleteAsync(CancellationToken.None);
        Assert.True(held.Spilled);
        Assert.Equal(body, client.ToArray());
    }

    [Fact]
    public async Task Past_the_limit_the_held_bytes_go_first_and_the_rest_streams()
    {
        var body = Bytes(200_000);
        var client = new MemoryStream();
        using var held = new BufferedResponseBody(client, limit: 100_000);
        await held.WriteAsync(body.AsMemory(0, 90_000));
        Assert.Equal(0, client.Length);

        await held.WriteAsync(body.AsMemory(90_000, 60_000));
        Assert.True(held.Spilled);
        Assert.Equal(150_000, client.Length);

        await held.WriteAsync(body.AsMemory(150_000));
        await held.CompleteAsync(CancellationToken.None);
        Assert.Equal(body, client.ToArray());
    }

    [Fact]
    public async Task A_discarded_body_sends_nothing_and_refuses_more()
    {
        var client = new MemoryStream();
        var held = new BufferedResponseBody(client, limit: 1_000_000);
        await held.WriteAsync(Bytes(10_000));
        held.Dispose();

        Assert.False(held.Spilled);
        Assert.Equal(0, client.Length);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => held.WriteAsync(Bytes(10)).AsTask());
        await held.CompleteAsync(CancellationToken.None);
        Assert.Equal(0, client.Length);
    }

    [Fact]
    public async Task When_the_gateway_wide_budget_is_used_up_the_body_streams_and_its_bytes_are_given_back()
    {
        var budget = new HeldBodyBudget(100_000);
        Assert.True(budget.TryReserve(60_000)); // another request holds most of it
        var body = Bytes(80_000);
        var client = new MemoryStream();
        using (var held = new BufferedResponseBody(client, limit: 1_000_000, budget))
        {
            await held.WriteAsync(body.AsMemory(0, 30_000));
            Assert.Equal(0, client.Length);
            Assert.Equal(90_000, budget.Held);

            await held.WriteAsync(body.AsMemory(30_000)); // does not fit: streams from here on
            Assert.True(held.Spilled);
            Assert.Equal(60_000, budget.Held);
            await held.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(body, client.ToArray());
        budget.Release(60_000);
        Assert.Equal(0, budget.Held);
    }
}
