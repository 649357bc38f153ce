using ReactiveCache.Domain.Costs;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Traces;

namespace ReactiveCache.Domain.Simulation;

/// <summary>
/// The thesis's "optimum" (<c>--system thesis-optimal</c>), kept under its own name: a per-key heuristic, not an
/// optimum of our model (<see cref="Optimum.OfflineOptimum"/> is). As the thesis computed it (code/evaluation/evaluation/helper/optimizer.py), per key:
/// knowing the future, every request is served from memory. A function is started exactly when a request
/// comes and lives 5 s (+5 s per request it serves); when 9 requests fall within 90 s the node is started
/// instead (the function bridges its 30 s boot, the node runs at least 60 s); a running node is kept while
/// the next request is less than 104.6 s away. Node runs of all keys share one node (overlaps merge).
/// Our cost model then prices the plan (the thesis priced only node seconds and function seconds).
/// </summary>
public static class ThesisOptimalPlanner
{
    public const int NodeTradeoffRequests = 9;
    public const double TradeoffWindowSeconds = 90.0;
    public const double FunctionLifeSeconds = 5.0;
    public const double BootBridgeSeconds = 30.0;
    public const double KeepNodeGapSeconds = 104.6;

    public static SimulationResult Run(Trace trace, SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(options);
        var duration = options.Duration ?? trace.Duration;
        var layers = new CacheLayer[trace.Count];
        var functionRuns = new List<Interval>();
        var nodeRunsPerKey = new List<Interval>();
        foreach (var group in trace.Requests.Select((r, i) => (r, i)).GroupBy(x => x.r.Key, StringComparer.Ordinal))
        {
            var items = group.ToArray();
            var keyLayers = PlanKey(group.Key, items.Select(x => x.r.OffsetSeconds).ToArray(), functionRuns, nodeRunsPerKey);
            for (int j = 0; j < items.Length; j++)
            {
                layers[items[j].i] = keyLayers[j];
            }
        }

        var nodeRuns = Merge(nodeRunsPerKey);
        var usage = new Usage
        {
            FunctionInvocations = functionRuns.Count,
            FunctionColdStarts = 0,
            FunctionBilledMs = (long)Math.Ceiling(functionRuns.Sum(f => f.Length) * 1000.0),
            ColdStartS3Gets = functionRuns.Select(f => f.Label).Distinct(StringComparer.Ordinal).Count(),
            NodeLoadS3Gets = nodeRunsPerKey.Count,
        };
        foreach (var run in nodeRuns)
        {
            usage.NodeRunSeconds.Add(run.Length);
        }

        var outcomes = new List<RequestOutcome>(trace.Count);
        double latencySum = 0;
        for (int i = 0; i < trace.Count; i++)
        {
            double latency = layers[i] == CacheLayer.Redis ? options.Latency.RedisMs : options.Latency.LambdaMs;
            latencySum += latency;
            if (options.RecordRequests)
            {
                outcomes.Add(new RequestOutcome(trace.Requests[i].OffsetSeconds, trace.Requests[i].Key, layers[i], latency));
            }
        }

        return SimulationResult.Create(trace.Name, SystemKind.ThesisOptimal.ToName(), SystemKind.ThesisOptimal.ToName(), options,
                duration.TotalSeconds, trace.Count, trace.Count, latencySum, usage) with
        {
            Outcomes = outcomes,
            NodeRuns = nodeRuns,
            FunctionRuns = options.RecordRequests ? functionRuns : [],
        };
    }

    /// <summary>The thesis's "theoretical execution plan" cost: node seconds (60 s minimum each) + function seconds.</summary>
    public static decimal ThesisTheoryCost(SimulationResult optimal, PriceTable prices)
    {
        ArgumentNullException.ThrowIfNull(optimal);
        ArgumentNullException.ThrowIfNull(prices);
        decimal node = optimal.Usage.NodeRunSeconds.Sum(s => CostModel.BilledNodeSeconds(s, prices)) / 3600m * prices.NodePerHour;
        return node + (optimal.Usage.FunctionBilledMs * prices.LambdaPerMs);
    }

    private static CacheLayer[] PlanKey(string key, double[] t, List<Interval> functions, List<Interval> nodes)
    {
        var layers = new CacheLayer[t.Length];
        var fn = new List<(double Start, double End)>();
        var node = new List<(double Start, double End)>();
        var state = PlanState.None;
        for (int i = 0; i < t.Length; i++)
        {
            switch (state)
            {
                case PlanState.None:
                    state = Start(i);
                    break;
                case PlanState.Function when t[i] > fn[^1].End:
                    state = Start(i);
                    break;
                case PlanState.Function when ManySoon(t, i):
                    layers[i] = CacheLayer.Lambda;
                    double end = fn[^1].End;
                    fn[^1] = (fn[^1].Start, end + BootBridgeSeconds);
                    node.Add((end + BootBridgeSeconds, end + BootBridgeSeconds + 60.0));
                    state = PlanState.Node;
                    break;
                case PlanState.Function:
                    layers[i] = CacheLayer.Lambda;
                    fn[^1] = (fn[^1].Start, fn[^1].End + FunctionLifeSeconds);
                    break;
                case PlanState.Node when t[i] < node[^1].End:
                    layers[i] = CacheLayer.Redis;
                    break;
                case PlanState.Node when NextFar(t, i):
                    state = Start(i);
                    break;
                case PlanState.Node:
                    layers[i] = CacheLayer.Redis;
                    node[^1] = (node[^1].Start, t[i]);
                    break;
            }
        }

        foreach (var (s, e) in fn)
        {
            functions.Add(new Interval(s, e, key));
        }

        foreach (var (s, e) in node)
        {
            nodes.Add(new Interval(s, e, key));
        }

        return layers;

        PlanState Start(int i)
        {
            layers[i] = CacheLayer.Lambda;
            if (ManySoon(t, i))
            {
                fn.Add((t[i], t[i] + BootBridgeSeconds));
                node.Add((t[i] + BootBridgeSeconds, t[i] + BootBridgeSeconds + 60.0));
                return PlanState.Node;
            }

            fn.Add((t[i], t[i] + FunctionLifeSeconds));
            return PlanState.Function;
        }
    }

    // optimizer.py checkRequests: is the request NodeTradeoffRequests ahead within 90 s? Its pandas index
    // starts at 1 and it stops at len − 1, so it never looks at the last request: reproduced as is.
    private static bool ManySoon(double[] t, int i)
    {
        if (t.Length < 2)
        {
            return true;
        }

        int ahead = Math.Min(i + NodeTradeoffRequests, t.Length - 2);
        return t[ahead] < t[i] + TradeoffWindowSeconds;
    }

    // optimizer.py checkNextRequest: is the next request more than 104.6 s away (same index quirk)?
    private static bool NextFar(double[] t, int i) =>
        i + 1 <= t.Length - 2 && t[i + 1] > t[i] + KeepNodeGapSeconds;

    private static List<Interval> Merge(List<Interval> runs)
    {
        var merged = new List<Interval>();
        foreach (var r in runs.OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && r.Start <= merged[^1].End)
            {
                merged[^1] = new Interval(merged[^1].Start, Math.Max(merged[^1].End, r.End), "node");
            }
            else
            {
                merged.Add(new Interval(r.Start, r.End, "node"));
            }
        }

        return merged;
    }

    private enum PlanState
    {
        None,
        Function,
        Node,
    }
}
