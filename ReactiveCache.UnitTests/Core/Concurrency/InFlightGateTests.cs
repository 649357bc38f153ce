using Microsoft.Extensions.Time.Testing;
using ReactiveCache.Core.Concurrency;

namespace ReactiveCache.UnitTests.Core.Concurrency;

/// <summary>
/// The gate the drains wait on: counts entries, turns them away once closed, and wakes a waiter when the
/// count reaches zero. Timeouts run on a fake clock; <see cref="Settled"/> only bounds a test that would
/// otherwise hang on a lost wake-up.
/// </summary>
public sealed class InFlightGateTests
{
    private static readonly TimeSpan Settled = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task A_wait_completes_at_once_when_nothing_is_in()
    {
        var gate = new InFlightGate();

        var idle = gate.WaitIdleAsync(TimeSpan.FromSeconds(5), _clock, CancellationToken.None);

        Assert.True(idle.IsCompletedSuccessfully);
        Assert.True(await idle);
    }

    [Fact]
    public async Task A_wait_completes_when_the_last_entry_leaves()
    {
        var gate = new InFlightGate();
        Assert.True(gate.TryEnter());
        Assert.True(gate.TryEnter());
        gate.Close();

        var idle = gate.WaitIdleAsync(TimeSpan.FromSeconds(5), _clock, CancellationToken.None);
        gate.Exit();
        Assert.False(idle.IsCompleted);
        Assert.Equal(1, gate.Count);

        gate.Exit();
        Assert.True(await idle.WaitAsync(Settled));
        Assert.Equal(0, gate.Count);
    }

    [Fact]
    public async Task Waiters_share_the_wake_up()
    {
        var gate = new InFlightGate();
        Assert.True(gate.TryEnter());

        var first = gate.WaitIdleAsync(TimeSpan.FromSeconds(5), _clock, CancellationToken.None);
        var second = gate.WaitIdleAsync(TimeSpan.FromSeconds(5), _clock, CancellationToken.None);
        gate.Exit();

        var woken = await Task.WhenAll(first, second).WaitAsync(Settled);
        Assert.All(woken, Assert.True);
    }

    [Fact]
    public async Task A_wait_times_out_by_the_clock_with_entries_still_in()
    {
        var gate = new InFlightGate();
        Assert.True(gate.TryEnter());
        gate.Close();

        // An hour: only the fake clock can end it within the test.
        var idle = gate.WaitIdleAsync(TimeSpan.FromHours(1), _clock, CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromTicks(1));
        Assert.False(idle.IsCompleted);

        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.False(await idle.WaitAsync(Settled));
        Assert.Equal(1, gate.Count);
    }

    [Fact]
    public async Task A_cancelled_wait_throws()
    {
        var gate = new InFlightGate();
        Assert.True(gate.TryEnter());
        using var cancel = new CancellationTokenSource();

        var idle = gate.WaitIdleAsync(TimeSpan.FromSeconds(5), _clock, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => idle.WaitAsync(Settled));
    }

    [Fact]
    public void A_closed_gate_refuses_entry_and_counts_only_those_let_in()
    {
        var gate = new InFlightGate();
        Assert.True(gate.TryEnter());

        gate.Close();

        Assert.True(gate.IsClosed);
        Assert.False(gate.TryEnter());
        Assert.Equal(1, gate.Count);
        gate.Exit();
        Assert.Equal(0, gate.Count);
        Assert.False(gate.TryEnter());
        Assert.True(gate.IsClosed);
    }

    [Fact]
    public void A_reopened_gate_lets_entries_in_again()
    {
        var gate = new InFlightGate();
        gate.Close();
        Assert.False(gate.TryEnter());

        gate.Open();

        Assert.False(gate.IsClosed);
        Assert.True(gate.TryEnter());
        Assert.Equal(1, gate.Count);
    }

    [Fact]
    public void Enter_counts_even_on_a_closed_gate()
    {
        var gate = new InFlightGate();
        gate.Close();

        gate.Enter();

        Assert.Equal(1, gate.Count);
        Assert.True(gate.IsClosed);
    }

    /// <summary>
    /// Threads enter and leave as fast as they can while the gate is closed and waited on, so that leaves
    /// to zero race the waiter's publishing (and entries race the close). Each
    /// round is a new gate the same threads move on to. A lost wake-up leaves the wait pending for good:
    /// the fake clock never times it out.
    /// </summary>
    [Fact]
    public async Task No_wake_up_is_lost_when_entries_race_the_close_and_the_wait()
    {
        const int rounds = 100;
        const int workers = 3;
        InFlightGate? current = null;
        var entries = 0L;
        var stop = false;
        var threads = Enumerable.Range(0, workers).Select(w => Task.Factory.StartNew(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                if (Volatile.Read(ref current) is { } gate && gate.TryEnter())
                {
                    Interlocked.Increment(ref entries);
                    Thread.SpinWait(300 + (w * 100)); // held long enough that the close finds entries in
                    gate.Exit();
                }
                else
                {
                    // Closed: leave the cores to the waiter until the next round's gate is up.
                    Thread.Yield();
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();

        try
        {
            for (var round = 0; round < rounds; round++)
            {
                var gate = new InFlightGate();
                var before = Interlocked.Read(ref entries);
                Volatile.Write(ref current, gate);
                while (Interlocked.Read(ref entries) < before + 10)
                {
                    Thread.Yield();
                }

                // Half the rounds also wait before the close (that wait may end at any zero before it).
                var early = round % 2 == 0 ? gate.WaitIdleAsync(TimeSpan.FromHours(1), _clock, CancellationToken.None) : null;
                gate.Close();
                var idle = gate.WaitIdleAsync(TimeSpan.FromHours(1), _clock, CancellationToken.None);
                try
                {
                    Assert.True(await idle.WaitAsync(Settled));
                    if (early is not null)
                    {
                        Assert.True(await early.WaitAsync(Settled));
                    }
                }
                catch (TimeoutException)
                {
                    Assert.Fail($"round {round}: a wait was never woken (count {gate.Count})");
                }
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            await Task.WhenAll(threads).WaitAsync(Settled);
        }
    }
}
