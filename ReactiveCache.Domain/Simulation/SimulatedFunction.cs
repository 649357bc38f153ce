using ReactiveCache.Domain.Policy;

namespace ReactiveCache.Domain.Simulation;

/// <summary>One simulated invocation: from invoke to ready (start-up) to end, its life kept by <see cref="FunctionLifetime"/>.</summary>
internal sealed class SimulatedFunction(SimulatedKey key, TimeSpan tick, long invokedAt, FunctionEnvironment environment)
{
    public SimulatedKey Key { get; } = key;

    public TimeSpan Tick { get; } = tick;

    public long InvokedAt { get; } = invokedAt;

    public FunctionEnvironment Environment { get; } = environment;

    public long? ReadyAt { get; set; }

    public FunctionLifetime? Life { get; set; }

    public bool KeepRunningPending { get; set; }

    public bool ShutdownPending { get; set; }

    public bool Ended { get; set; }
}
