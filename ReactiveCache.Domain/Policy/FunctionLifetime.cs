namespace ReactiveCache.Domain.Policy;

/// <summary>
/// How long a function invocation holds its objects: the thesis's Lambda life rules, in one place,
/// used by the real function and by the simulator.
/// <list type="bullet">
/// <item>An invocation starts with one TICK of life, counted from when it can serve (<see cref="OnReady"/>).</item>
/// <item>Each served GET adds one TICK to the deadline (thesis code: <c>due = due + TICK</c>).</item>
/// <item><c>keepRunning</c> holds it up: the deadline no longer ends it (the thesis resets to 120 s and disables the timer).</item>
/// <item><c>shutdown</c> ends it.</item>
/// <item>It never outlives the function timeout (the thesis configured 4 minutes).</item>
/// </list>
/// Pure: the caller passes the time; nothing here sleeps or reads a clock.
/// </summary>
public sealed class FunctionLifetime
{
    public FunctionLifetime(TimeSpan tick, DateTimeOffset start, TimeSpan functionTimeout)
    {
        if (tick <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(tick), tick, "TICK must be positive.");
        }

        Tick = tick;
        Start = start;
        Timeout = start + functionTimeout;
        Deadline = start + tick;
    }

    public TimeSpan Tick { get; }

    public DateTimeOffset Start { get; }

    /// <summary>Start + the function timeout: the hard end of the invocation.</summary>
    public DateTimeOffset Timeout { get; }

    /// <summary>When the life runs out unless extended; ignored while <see cref="IsHeld"/>.</summary>
    public DateTimeOffset Deadline { get; private set; }

    /// <summary><c>keepRunning</c> was received: only <c>shutdown</c> or the timeout end the life.</summary>
    public bool IsHeld { get; private set; }

    /// <summary><c>shutdown</c> was received.</summary>
    public bool IsShutDown { get; private set; }

    /// <summary>The moment the life ends if nothing else happens.</summary>
    public DateTimeOffset EndsAt => IsShutDown ? Start : IsHeld ? Timeout : Min(Deadline, Timeout);

    /// <summary>
    /// The function can serve from <paramref name="now"/> (its first tunnel connected): its first TICK counts from here,
    /// as in the simulator, whose lives start when the function is ready. A cold start longer than one TICK no longer ends
    /// the life as the function becomes able to serve.
    /// </summary>
    public void OnReady(DateTimeOffset now)
    {
        if (now + Tick > Deadline)
        {
            Deadline = now + Tick;
        }
    }

    /// <summary>A GET was served: one more TICK (unless held or over).</summary>
    public void OnServed(DateTimeOffset now)
    {
        if (!IsHeld && !IsOver(now))
        {
            Deadline += Tick;
        }
    }

    public void KeepRunning() => IsHeld = true;

    public void Shutdown() => IsShutDown = true;

    public bool IsOver(DateTimeOffset now) => IsShutDown || now >= EndsAt;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;
}
