using ReactiveCache.Domain.Costs;
using ReactiveCache.Domain.Traces;

namespace ReactiveCache.Domain.Simulation.Optimum;

/// <summary>
/// The offline optimum of the objective J (<c>--system optimal</c>): the least J any reactive policy can reach on
/// this trace with this run's boot times, knowing the whole future. docs/policy.md states the model; in short,
/// resources start only when a request arrives (a function only on a request for its key; the node on any request,
/// or when it has finished stopping if a request came meanwhile), the one node is shared by every key, and the
/// boot time, the billing from <c>running</c> with its minimum, the stop time, warm starts, the function timeout
/// and the prices are the simulator's. Three things are relaxed in the optimum's favour, so that no policy can
/// beat it: loading a key onto the node is free, every function start is warm, and a request closer to its key's
/// previous one than a warm start is priced at a lower bound.
/// <para>
/// The node's schedule is found by <see cref="NodeScheduleSolver"/> knowing the first <c>K</c> boot times of the
/// seed; further starts are given the shortest boot, so if the optimum needs more than K starts its J is a
/// certified lower bound (<see cref="OptimumSolution.Exact"/> false) rather than exact. K starts at 16 and doubles
/// while the plan uses every known boot, up to <see cref="MaxKnownBoots"/>.
/// </para>
/// </summary>
public static class OfflineOptimum
{
    public const int MaxKnownBoots = 256;

    /// <summary>Above this many (layers × requests) the optimum stops adding known boots (memory ~ 120 B each).</summary>
    public const long MaxLayerRequests = 4_000_000;

    public static SimulationResult Run(Trace trace, SimulationOptions options) => Solve(trace, options).Result;

    public static OptimumSolution Solve(Trace trace, SimulationOptions options, int? knownBoots = null)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(options);
        long cap = Math.Max(1, Math.Min(MaxKnownBoots, MaxLayerRequests / Math.Max(1, trace.Count)));
        int k = knownBoots ?? (int)Math.Min(16, cap);
        while (true)
        {
            var model = OptimumModel.From(options, k);
            var prices = RequestPrices.Of(trace, model);
            var solver = new NodeScheduleSolver(prices, model);
            var runs = solver.Runs();
            bool exact = runs.All(r => r.BootKnown);
            if (exact || knownBoots is not null || k >= cap)
            {
                return Build(trace, options, model, prices, solver, runs, exact);
            }

            k = (int)Math.Min(cap, 2L * k);
        }
    }

    private static OptimumSolution Build(Trace trace, SimulationOptions options, OptimumModel m, RequestPrices prices, NodeScheduleSolver solver, List<NodeRun> runs, bool exact)
    {
        int n = trace.Count;
        var layers = new CacheLayer[n];
        var onNode = new bool[n];
        foreach (var run in runs)
        {
            for (int i = run.FirstServed; i <= run.LastServed; i++)
            {
                onNode[i] = prices.Savable[i] > 0 || prices.OffNode[i] == 0;
            }
        }

        var usage = new Usage();
        decimal lambda = 0m;
        double lambdaMs = 0;
        for (int i = 0; i < n; i++)
        {
            if (onNode[i])
            {
                layers[i] = CacheLayer.Redis;
                continue;
            }

            switch (prices.How[i])
            {
                case OffNodeService.S3:
                    layers[i] = CacheLayer.S3;
                    usage.ClientS3Gets++;
                    break;
                case OffNodeService.Function:
                    layers[i] = CacheLayer.Lambda;
                    usage.FunctionInvocations++;
                    lambda += (decimal)prices.OffNode[i];
                    lambdaMs += (prices.OffNode[i] - m.InvocationUsd) / m.FunctionPerSecondUsd * 1000.0;
                    break;
                default:
                    layers[i] = CacheLayer.Lambda;
                    lambda += (decimal)prices.OffNode[i];
                    lambdaMs += prices.OffNode[i] / m.FunctionPerSecondUsd * 1000.0;
                    break;
            }
        }

        usage.FunctionBilledMs = (long)Math.Round(lambdaMs);
        decimal redis = 0m;
        var nodeRuns = new List<Interval>(runs.Count);
        foreach (var run in runs)
        {
            double billed = run.Stop - run.BilledFrom;
            usage.NodeRunSeconds.Add(billed);
            redis += (decimal)(Math.Max(m.NodeMinimumSeconds, billed) * m.NodePerSecondUsd);
            nodeRuns.Add(new Interval(run.Ready, run.Stop, "node"));
        }

        var cost = new CostBreakdown(usage.ClientS3Gets * (decimal)m.S3GetUsd, lambda, redis);
        var outcomes = new List<RequestOutcome>(options.RecordRequests ? n : 0);
        double latencySum = 0;
        long inMemory = 0;
        for (int i = 0; i < n; i++)
        {
            double latency = layers[i] switch
            {
                CacheLayer.Redis => options.Latency.RedisMs,
                CacheLayer.Lambda => options.Latency.LambdaMs,
                _ => options.Latency.S3Ms,
            };
            latencySum += latency;
            inMemory += layers[i] == CacheLayer.S3 ? 0 : 1;
            if (options.RecordRequests)
            {
                outcomes.Add(new RequestOutcome(trace.Requests[i].OffsetSeconds, trace.Requests[i].Key, layers[i], latency));
            }
        }

        double offNode = 0;
        for (int i = 0; i < n; i++)
        {
            offNode += prices.OffNode[i];
        }

        var result = SimulationResult.Create(trace.Name, SystemKind.Optimal.ToName(), SystemKind.Optimal.ToName(), options,
                (options.Duration ?? trace.Duration).TotalSeconds, n, inMemory, latencySum, usage, cost) with
        {
            Sensitivity = options.Sensitivity,
            Outcomes = outcomes,
            NodeRuns = nodeRuns,
        };
        return new OptimumSolution(result, offNode + solver.Value, exact, runs, m.Boots.Count);
    }
}

/// <summary>
/// The optimum of one run: the result (priced plan), J as the program found it, whether it is exact (every start of
/// the plan had its known boot time) or a certified lower bound, the plan's node runs, how many boot times it knew.
/// </summary>
public sealed record OptimumSolution(SimulationResult Result, double ObjectiveUsd, bool Exact, IReadOnlyList<NodeRun> Runs, int KnownBoots);
