using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Policy.Default;
using ReactiveCache.Domain.Simulation.Optimum;

namespace ReactiveCache.Domain.Simulation.Evaluation;

/// <summary>
/// J / OPT of the policies on a row at a sensitivity, averaged over seeds (each seed: its trace, its boot times,
/// and the optimum for both). The one computation behind <c>reactive-cache report --policies</c> and the tests
/// that assert its table. On a Poisson row, also <see cref="MemorylessBound"/> for each seed.
/// </summary>
public static class PolicyEvaluation
{
    /// <summary>The policies of the table, in its column order.</summary>
    public static IReadOnlyList<PolicyKind> Policies => Order;

    private static readonly PolicyKind[] Order = [PolicyKind.Default, PolicyKind.Thesis, PolicyKind.AlwaysOn, PolicyKind.S3Only];

    internal static int IndexOf(PolicyKind policy) => Array.IndexOf(Order, policy);

    public static RowResult Run(EvaluationRow row, int sensitivity, IReadOnlyList<int> seeds, int parallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(seeds);
        var perSeed = new SeedResult[seeds.Count];
        Parallel.For(0, seeds.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, i =>
        {
            int seed = seeds[i];
            var trace = row.TraceFor(seed);
            var options = new SimulationOptions { Rate = row.ThesisRate, Sensitivity = sensitivity, Seed = seed, RecordRequests = false };
            var optimum = OfflineOptimum.Solve(trace, options);
            var policies = new PolicyResult[Policies.Count];
            for (int k = 0; k < Policies.Count; k++)
            {
                var r = Simulator.Run(trace, options with { Policy = Policies[k] });
                policies[k] = new PolicyResult((double)r.ObjectiveUsd / optimum.ObjectiveUsd, r.HitPercent, (double)r.Cost.Total);
            }

            double? bound = row.PoissonRatePerMinute is { } rate && trace.Requests.Count > 0
                ? MemorylessBound.ExpectedObjectiveUsd(trace.Requests[0].OffsetSeconds, trace.Duration.TotalSeconds, rate, DefaultPolicySettings.FromSensitivity(sensitivity, options.Prices))
                : null;
            perSeed[i] = new SeedResult(seed, optimum.ObjectiveUsd, optimum.Exact, policies, bound);
        });

        var means = new PolicyResult[Policies.Count];
        for (int k = 0; k < Policies.Count; k++)
        {
            means[k] = new PolicyResult(
                perSeed.Average(s => s.Policies[k].Ratio),
                perSeed.Average(s => s.Policies[k].HitPercent),
                perSeed.Average(s => s.Policies[k].CostUsd));
        }

        double optimumMean = perSeed.Average(s => s.OptimumUsd);
        double? onlineBound = perSeed.All(s => s.BoundUsd is not null) ? perSeed.Average(s => s.BoundUsd!.Value) / optimumMean : null;
        return new RowResult(row.Name, sensitivity, seeds.Count, optimumMean, perSeed.All(s => s.Exact), means, perSeed) { OnlineBound = onlineBound };
    }
}

/// <summary>A policy's J / OPT, hit % and $ (one seed, or the mean over seeds).</summary>
public readonly record struct PolicyResult(double Ratio, double HitPercent, double CostUsd);

/// <summary>One seed: OPT's J, whether it is exact, every policy's result, and on a Poisson row the bound on any online policy's expected J.</summary>
public sealed record SeedResult(int Seed, double OptimumUsd, bool Exact, IReadOnlyList<PolicyResult> Policies, double? BoundUsd = null);

/// <summary>A row at a sensitivity: mean OPT, whether every seed's optimum was exact, and the mean per policy (<see cref="PolicyEvaluation.Policies"/> order).</summary>
public sealed record RowResult(string Row, int Sensitivity, int Seeds, double OptimumUsd, bool Exact, IReadOnlyList<PolicyResult> Policies, IReadOnlyList<SeedResult> PerSeed)
{
    public PolicyResult Of(PolicyKind policy) => Policies[PolicyEvaluation.IndexOf(policy)];

    /// <summary>On a Poisson row: the mean over the seeds of <see cref="MemorylessBound"/> over OPT's mean J (no online policy's expected J is lower); otherwise null.</summary>
    public double? OnlineBound { get; init; }

    /// <summary>A policy's mean J over OPT's mean J (the ratio of means, comparable with <see cref="OnlineBound"/>).</summary>
    public double RatioOfMeans(PolicyKind policy) =>
        PerSeed.Sum(s => s.Policies[PolicyEvaluation.IndexOf(policy)].Ratio * s.OptimumUsd) / PerSeed.Sum(s => s.OptimumUsd);
}
