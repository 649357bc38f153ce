namespace ReactiveCache.Domain.Simulation;

/// <summary>One scheduled event of <see cref="ReactiveSimulator"/>: what, and for which function or key.</summary>
internal readonly record struct SimulationEvent(SimulationEventKind Kind, SimulatedFunction? Function, SimulatedKey? Key);
