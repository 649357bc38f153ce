using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using ReactiveCache.Domain.Costs;
using ReactiveCache.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.Telemetry;

namespace ReactiveCache.Orchestrator.Costs;

/// <summary>
/// The live cost meter: what this run used (function invocations and billed ms, node runs, S3 GETs),
/// priced with the configured price table by the same <see cref="CostModel"/> the simulator uses,
/// beside what ElastiCache and S3 alone would have cost for the same traffic.
/// </summary>
public sealed class CostMeter
{
    private readonly Lock _lock = new();
    private readonly Usage _usage = new();
    private readonly CacheNodeController _node;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _started;
    private long _requests;
    private CostReport? _gaugeReport;

    public CostMeter(CacheNodeController node, TimeProvider time, IOptions<CostOptions> options)
    {
        _node = node;
        _time = time;
        _started = time.GetUtcNow();
        Prices = PriceTable.Find(options.Value.PriceTable)
                 ?? throw new OptionsValidationException(CostOptions.SectionName, typeof(CostOptions), [$"Unknown price table '{options.Value.PriceTable}'."]);

        OrchestratorTelemetry.Meter.CreateObservableGauge("reactivecache.cost.total", () => (double)GaugeSnapshot().Total.Total, "USD", "Cost of this run so far");
        OrchestratorTelemetry.Meter.CreateObservableGauge("reactivecache.cost.by_layer", () =>
        {
            var cost = GaugeSnapshot().Total;
            return new[]
            {
                new Measurement<double>((double)cost.S3, new KeyValuePair<string, object?>("layer", "s3")),
                new Measurement<double>((double)cost.Lambda, new KeyValuePair<string, object?>("layer", "lambda")),
                new Measurement<double>((double)cost.Redis, new KeyValuePair<string, object?>("layer", "redis")),
            };
        }, "USD", "Cost of this run so far, per layer");
        OrchestratorTelemetry.Meter.CreateObservableGauge("reactivecache.cost.elasticache", () => (double)GaugeSnapshot().ElastiCache.Total, "USD", "What ElastiCache would have cost");
        OrchestratorTelemetry.Meter.CreateObservableGauge("reactivecache.cost.s3_only", () => (double)GaugeSnapshot().S3Only.Total, "USD", "What S3 alone would have cost");
    }

    public PriceTable Prices { get; }

    /// <summary>A client request was answered (by any layer); S3 ones are billed GETs.</summary>
    public void Request(bool servedByS3)
    {
        lock (_lock)
        {
            _requests++;
            if (servedByS3)
            {
                _usage.ClientS3Gets++;
            }
        }
    }

    /// <summary>A function invocation ended after <paramref name="lifeMs"/> of billed life.</summary>
    public void FunctionEnded(long lifeMs, bool warm)
    {
        lock (_lock)
        {
            _usage.FunctionInvocations++;
            _usage.FunctionBilledMs += Math.Max(1, lifeMs);
            if (!warm)
            {
                _usage.FunctionColdStarts++;
                _usage.ColdStartS3Gets++;
            }
        }
    }

    public void ObjectLoaded()
    {
        lock (_lock)
        {
            _usage.NodeLoadS3Gets++;
        }
    }

    /// <summary>
    /// The report the four cost gauges read: one metrics collection reads them one after the other, so a
    /// report under a second old is shared instead of priced four times.
    /// </summary>
    private CostReport GaugeSnapshot()
    {
        var report = Volatile.Read(ref _gaugeReport);
        if (report is null || _time.GetUtcNow() - report.Now >= TimeSpan.FromSeconds(1))
        {
            report = Snapshot();
            Volatile.Write(ref _gaugeReport, report);
        }

        return report;
    }

    public CostReport Snapshot()
    {
        var now = _time.GetUtcNow();
        Usage usage;
        long requests;
        lock (_lock)
        {
            usage = new Usage
            {
                ClientS3Gets = _usage.ClientS3Gets,
                ColdStartS3Gets = _usage.ColdStartS3Gets,
                NodeLoadS3Gets = _usage.NodeLoadS3Gets,
                FunctionInvocations = _usage.FunctionInvocations,
                FunctionColdStarts = _usage.FunctionColdStarts,
                FunctionBilledMs = _usage.FunctionBilledMs,
            };
            requests = _requests;
        }

        // Node seconds from the node's own record of its runs: billed from "Redis answers" (as the thesis and
        // the simulator do; from the trigger for a boot that never answered) to the stop, running ones up to now.
        foreach (var run in _node.Status.Runs)
        {
            usage.NodeRunSeconds.Add(((run.Stopped ?? now) - (run.Ready ?? run.Started)).TotalSeconds);
        }

        var elastiCache = new Usage { ElastiCacheNodeHours = CostModel.ElastiCacheHours(now - _started), NodeLoadS3Gets = requests > 0 ? 1 : 0 };
        return new CostReport(
            Prices.Name,
            _started,
            now,
            requests,
            usage.FunctionInvocations,
            usage.FunctionColdStarts,
            usage.FunctionBilledMs,
            usage.NodeStarts,
            usage.NodeSeconds,
            [.. usage.NodeRunSeconds.Select(s => (double)CostModel.BilledNodeSeconds(s, Prices))],
            usage.S3Gets,
            CostModel.Price(usage, Prices),
            CostModel.Price(elastiCache, Prices),
            CostModel.S3Only(requests, Prices));
    }
}
