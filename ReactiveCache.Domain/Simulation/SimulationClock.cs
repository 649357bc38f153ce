namespace ReactiveCache.Domain.Simulation;

/// <summary>Virtual time: the simulator sets it; the policy reads it. Nothing ever waits on it.</summary>
public sealed class SimulationClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Start { get; } = start;

    public long NowTicks { get; set; } = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(NowTicks, TimeSpan.Zero);

    public double SecondsSinceStart => (NowTicks - Start.UtcTicks) / (double)TimeSpan.TicksPerSecond;
}
