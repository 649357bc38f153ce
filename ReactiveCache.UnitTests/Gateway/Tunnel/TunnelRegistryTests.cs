using ReactiveCache.Gateway.Tunnel;

namespace ReactiveCache.UnitTests.Gateway.Tunnel;

/// <summary>Which connected function the Lambda layer forwards a key to.</summary>
public sealed class TunnelRegistryTests
{
    [Fact]
    public void No_function_holding_the_key_picks_none()
    {
        var registry = new TunnelRegistry();
        Connect(registry, "a", "1KB.txt");

        Assert.Null(registry.Pick("1MB.txt"));
        Assert.Null(new TunnelRegistry().Pick("1KB.txt"));
    }

    [Fact]
    public void The_function_holding_the_key_is_picked_among_others()
    {
        var registry = new TunnelRegistry();
        Connect(registry, "a", "1KB.txt");
        var b = Connect(registry, "b", "1MB.txt", "index.html");

        Assert.Same(b, registry.Pick("index.html"));
        Assert.Same(b, registry.Pick("1MB.txt"));
    }

    [Fact]
    public void Functions_holding_the_same_key_take_turns()
    {
        var registry = new TunnelRegistry();
        var a = Connect(registry, "a", "1KB.txt");
        var b = Connect(registry, "b", "1KB.txt");

        var picks = Enumerable.Range(0, 10).Select(_ => registry.Pick("1KB.txt")).ToList();

        Assert.Equal(5, picks.Count(p => p == a));
        Assert.Equal(5, picks.Count(p => p == b));
    }

    [Fact]
    public void Asking_whether_a_key_is_served_takes_no_turn()
    {
        var registry = new TunnelRegistry();
        var a = Connect(registry, "a", "1KB.txt");
        var b = Connect(registry, "b", "1KB.txt");

        // As the Lambda layer does per request: is it served, then which function serves it.
        var picks = Enumerable.Range(0, 10).Select(_ => registry.Serves("1KB.txt") ? registry.Pick("1KB.txt") : null).ToList();

        Assert.Equal(5, picks.Count(p => p == a));
        Assert.Equal(5, picks.Count(p => p == b));
        Assert.False(registry.Serves("1MB.txt"));
    }

    [Fact]
    public void A_function_that_said_goodbye_or_has_no_connection_is_not_picked()
    {
        var registry = new TunnelRegistry();
        var leaving = Connect(registry, "leaving", "1KB.txt");
        registry.Register("unconnected", ["1KB.txt"]);
        var staying = Connect(registry, "staying", "1KB.txt");

        leaving.Goodbye();

        Assert.All(Enumerable.Range(0, 6), _ => Assert.Same(staying, registry.Pick("1KB.txt")));
        staying.Goodbye();
        Assert.False(registry.Serves("1KB.txt"));
    }

    private static FunctionTunnel Connect(TunnelRegistry registry, string invocation, params string[] keys)
    {
        var tunnel = registry.Register(invocation, keys);
        tunnel.Add(new TunnelStream(Stream.Null));
        return tunnel;
    }
}
