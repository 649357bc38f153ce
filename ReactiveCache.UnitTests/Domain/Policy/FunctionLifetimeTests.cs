using ReactiveCache.Domain.Policy;

namespace ReactiveCache.UnitTests.Domain.Policy;

/// <summary>The thesis's Lambda life (lambda/runtime/timeout.go), as the simulator uses it.</summary>
public sealed class FunctionLifetimeTests
{
    private static readonly DateTimeOffset Start = new(2022, 2, 16, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public void Starts_with_one_tick_and_each_served_GET_adds_one_to_the_deadline()
    {
        var life = new FunctionLifetime(Tick, Start, Timeout);
        Assert.Equal(Start + Tick, life.EndsAt);
        life.OnServed(Start + TimeSpan.FromSeconds(1));
        life.OnServed(Start + TimeSpan.FromSeconds(2));
        Assert.Equal(Start + (3 * Tick), life.EndsAt); // due = due + TICK, not now + TICK
        Assert.False(life.IsOver(Start + TimeSpan.FromSeconds(23)));
        Assert.True(life.IsOver(Start + TimeSpan.FromSeconds(24)));
    }

    [Fact]
    public void The_first_tick_counts_from_when_the_function_can_serve()
    {
        // A cold start of 11 s (longer than a TICK): the first tunnel connects at +11 s, and the life has a whole TICK
        // from there, as a simulated function's life starts at ready (a quick start too counts from its connection).
        var slow = new FunctionLifetime(Tick, Start, Timeout);
        slow.OnReady(Start + TimeSpan.FromSeconds(11));
        Assert.Equal(Start + TimeSpan.FromSeconds(11) + Tick, slow.EndsAt);
        Assert.False(slow.IsOver(Start + TimeSpan.FromSeconds(18)));

        var quick = new FunctionLifetime(Tick, Start, Timeout);
        quick.OnReady(Start + TimeSpan.FromSeconds(0.5));
        Assert.Equal(Start + TimeSpan.FromSeconds(0.5) + Tick, quick.EndsAt);

        var late = new FunctionLifetime(Tick, Start, TimeSpan.FromSeconds(12));
        late.OnReady(Start + TimeSpan.FromSeconds(11));
        Assert.Equal(Start + TimeSpan.FromSeconds(12), late.EndsAt); // never past the function timeout
    }

    [Fact]
    public void A_GET_after_the_deadline_does_not_revive_it()
    {
        var life = new FunctionLifetime(Tick, Start, Timeout);
        life.OnServed(Start + TimeSpan.FromSeconds(9));
        Assert.Equal(Start + Tick, life.EndsAt);
    }

    [Fact]
    public void KeepRunning_holds_it_until_shutdown_or_the_function_timeout()
    {
        var life = new FunctionLifetime(Tick, Start, Timeout);
        life.KeepRunning();
        life.OnServed(Start + TimeSpan.FromSeconds(1));
        Assert.Equal(Start + Timeout, life.EndsAt);
        Assert.False(life.IsOver(Start + TimeSpan.FromMinutes(3)));
        life.Shutdown();
        Assert.True(life.IsOver(Start + TimeSpan.FromMinutes(3)));
    }

    [Fact]
    public void Never_outlives_the_function_timeout()
    {
        var life = new FunctionLifetime(Tick, Start, TimeSpan.FromSeconds(20));
        for (int i = 1; i <= 5; i++)
        {
            life.OnServed(Start + TimeSpan.FromSeconds(i));
        }

        Assert.Equal(Start + TimeSpan.FromSeconds(20), life.EndsAt);
    }
}
