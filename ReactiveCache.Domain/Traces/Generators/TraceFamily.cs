namespace ReactiveCache.Domain.Traces.Generators;

/// <summary>
/// A kind of traffic the policies are evaluated on: a seeded generator with fixed parameters, and the rate the
/// thesis's policy is configured with for it (its requests per object per minute while active, at most 9), and for a
/// Poisson family its rate (requests a minute), which <see cref="Simulation.Evaluation.MemorylessBound"/> bounds every online policy with.
/// </summary>
public sealed record TraceFamily(string Name, string Description, double ThesisRate, Func<int, Trace> Generate, double? PoissonRatePerMinute = null);
