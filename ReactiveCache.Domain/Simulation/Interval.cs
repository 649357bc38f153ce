namespace ReactiveCache.Domain.Simulation;

/// <summary>A span of a run in seconds from its start (a function's life, a node run).</summary>
public readonly record struct Interval(double Start, double End, string Label)
{
    public double Length => End - Start;
}
