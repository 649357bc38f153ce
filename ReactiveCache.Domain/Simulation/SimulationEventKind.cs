namespace ReactiveCache.Domain.Simulation;

/// <summary>Internal events of <see cref="ReactiveSimulator"/> (requests come from the trace).</summary>
internal enum SimulationEventKind
{
    FunctionReady,
    FunctionDeadline,
    FunctionEnded,
    NodeReady,
    ObjectLoaded,
    NodeStopped,
    PolicyDue,
}
