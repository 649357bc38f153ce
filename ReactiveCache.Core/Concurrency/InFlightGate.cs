namespace ReactiveCache.Core.Concurrency;

/// <summary>
/// Counts the work in flight through one door (reads on a cache node, requests forwarded to a function,
/// requests a function serves) so that a drain can wait for that work to end. A closed gate turns new
/// entries away (<see cref="TryEnter"/>); <see cref="WaitIdleAsync"/> completes when the count is zero.
/// </summary>
/// <remarks>
/// <para>
/// Entering and leaving run on every request: each is one interlocked operation (an entry's
/// compare-and-swap is retried only when another entry or leave got in between), with no lock and no
/// allocation. The count and the closed flag share one integer (the count times two, plus one while
/// closed), and the compare-and-swap fails if the flag is set: a closed gate's count never rises, not even
/// for an instant, so a drain's waiter wakes once, at its zero.
/// </para>
/// <para>
/// A waiter publishes a <see cref="TaskCompletionSource"/> and then reads the count; a leave that brings
/// the count to zero then reads the published waiter. Both sides fence between their write and their read,
/// so at least one sees the other's write and no wake-up is lost. A waiter that wakes while the count is
/// not zero (it went up again after the zero that woke it: the gate was open, or reopened, or entered
/// with <see cref="Enter"/>) waits again within the same timeout.
/// </para>
/// <para>
/// Hand-written: the BCL's <see cref="CountdownEvent"/> blocks a thread, throws when raised from zero and
/// cannot be closed, and no countdown among the served packages turns entries away once closed.
/// </para>
/// </remarks>
public sealed class InFlightGate
{
    private const int ClosedBit = 1;
    private const int One = 2;

    private int _state;
    private TaskCompletionSource? _idle;

    /// <summary>The entries that have not left yet.</summary>
    public int Count => Volatile.Read(ref _state) >> 1;

    /// <summary>Whether new entries are turned away (<see cref="TryEnter"/> fails).</summary>
    public bool IsClosed => (Volatile.Read(ref _state) & ClosedBit) != 0;

    /// <summary>Counts an entry unless the gate is closed; each <c>true</c> needs one <see cref="Exit"/>.</summary>
    public bool TryEnter()
    {
        var state = Volatile.Read(ref _state);
        while ((state & ClosedBit) == 0)
        {
            var seen = Interlocked.CompareExchange(ref _state, state + One, state);
            if (seen == state)
            {
                return true;
            }

            state = seen;
        }

        return false;
    }

    /// <summary>Counts an entry whether or not the gate is closed (for a door a drain waits on but never shuts).</summary>
    public void Enter() => Interlocked.Add(ref _state, One);

    /// <summary>An entry's work is over; the last one out wakes the waiters.</summary>
    public void Exit()
    {
        if (Interlocked.Add(ref _state, -One) >> 1 <= 0 && Volatile.Read(ref _idle) is not null)
        {
            Interlocked.Exchange(ref _idle, null)?.TrySetResult();
        }
    }

    /// <summary>Turns new entries away from now on; those already in go on.</summary>
    public void Close() => Interlocked.Or(ref _state, ClosedBit);

    /// <summary>Lets entries in again (a cache node named again after its drain).</summary>
    public void Open() => Interlocked.And(ref _state, ~ClosedBit);

    /// <summary>
    /// Completes with <c>true</c> when no entry is in (at once if none is), or with <c>false</c> once
    /// <paramref name="timeout"/> has passed on <paramref name="time"/>'s clock with entries still in.
    /// Throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<bool> WaitIdleAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            var idle = PublishWaiter();
            Interlocked.MemoryBarrier();
            if (Count <= 0)
            {
                // Whoever else waits on this waiter is woken too.
                if (Interlocked.CompareExchange(ref _idle, null, idle) == idle)
                {
                    idle.TrySetResult();
                }

                return true;
            }

            var remaining = timeout == Timeout.InfiniteTimeSpan ? timeout : timeout - time.GetElapsedTime(started);
            if (remaining != Timeout.InfiniteTimeSpan && remaining <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                await idle.Task.WaitAsync(remaining, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return Count <= 0;
            }
        }
    }

    /// <summary>The waiter a leave to zero completes: the one already published, or a new one.</summary>
    private TaskCompletionSource PublishWaiter()
    {
        while (true)
        {
            var current = Volatile.Read(ref _idle);
            if (current is not null && !current.Task.IsCompleted)
            {
                return current;
            }

            var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (Interlocked.CompareExchange(ref _idle, fresh, current) == current)
            {
                return fresh;
            }
        }
    }
}
