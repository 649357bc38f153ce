using ReactiveCache.Domain.Costs;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Traces;

namespace ReactiveCache.Domain.Simulation;

/// <summary>
/// The systems without decisions to simulate: S3-only, ElastiCache (per started node-hour) and an
/// always-on self-hosted node (per second for the whole window). The caches are filled lazily like the
/// thesis's ElastiCache proxy: a key's first request is served by S3 (one GET), the rest from memory.
/// </summary>
public static class BaselineSimulator
{
    public static SimulationResult Run(Trace trace, SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(options);
        var duration = options.Duration ?? trace.Duration;
        var usage = new Usage();
        var outcomes = new List<RequestOutcome>(options.RecordRequests ? trace.Count : 0);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        double latencySum = 0;
        long inMemory = 0;
        foreach (var r in trace.Requests)
        {
            CacheLayer layer;
            double latency;
            if (options.System == SystemKind.S3Only)
            {
                layer = CacheLayer.S3;
                latency = options.Latency.S3OnlyMs;
            }
            else if (seen.Add(r.Key))
            {
                layer = CacheLayer.S3;
                latency = options.Latency.S3Ms;
            }
            else
            {
                layer = CacheLayer.Redis;
                latency = options.System == SystemKind.ElastiCache ? options.Latency.ElastiCacheMs : options.Latency.RedisMs;
            }

            if (layer == CacheLayer.S3)
            {
                usage.ClientS3Gets++;
            }
            else
            {
                inMemory++;
            }

            latencySum += latency;
            if (options.RecordRequests)
            {
                outcomes.Add(new RequestOutcome(r.OffsetSeconds, r.Key, layer, latency));
            }
        }

        var nodeRuns = new List<Interval>();
        switch (options.System)
        {
            case SystemKind.ElastiCache:
                usage.ElastiCacheNodeHours = CostModel.ElastiCacheHours(duration);
                nodeRuns.Add(new Interval(0, duration.TotalSeconds, "elasticache"));
                break;
            case SystemKind.AlwaysOn:
                usage.NodeRunSeconds.Add(duration.TotalSeconds);
                nodeRuns.Add(new Interval(0, duration.TotalSeconds, "node"));
                break;
            case SystemKind.S3Only:
                break;
            default:
                throw new ArgumentException($"{options.System.ToName()} is not a baseline system.", nameof(options));
        }

        return SimulationResult.Create(trace.Name, options.System.ToName(), options.System.ToName(), options, duration.TotalSeconds,
                trace.Count, inMemory, latencySum, usage) with
        {
            Outcomes = outcomes,
            NodeRuns = nodeRuns,
        };
    }
}
