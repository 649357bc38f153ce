namespace ReactiveCache.Domain.Simulation;

/// <summary>A simulated function execution environment: warm while idle for less than the keep-warm time; it keeps the objects it loaded.</summary>
internal sealed class FunctionEnvironment
{
    public HashSet<string> Loaded { get; } = new(StringComparer.Ordinal);

    public long IdleSince { get; set; }
}
