using ReactiveCache.Domain.Traces;
using ReactiveCache.Domain.Traces.Generators;

namespace ReactiveCache.Domain.Simulation.Evaluation;

/// <summary>
/// One row of the policy evaluation: a trace source and the rate the thesis's policy is configured with for it. A
/// published trace is the same for every seed (the seed draws the boot times); a family generates one per seed. A
/// Poisson family also has its rate, for <see cref="MemorylessBound"/>.
/// </summary>
public sealed record EvaluationRow(string Name, double ThesisRate, Func<int, Trace> TraceFor, double? PoissonRatePerMinute = null)
{
    public static EvaluationRow Published(Trace trace, double thesisRate) => new(trace.Name, thesisRate, _ => trace);

    public static EvaluationRow Family(TraceFamily family) => new(family.Name, family.ThesisRate, family.Generate, family.PoissonRatePerMinute);
}
