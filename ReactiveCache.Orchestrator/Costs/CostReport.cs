using ReactiveCache.Domain.Costs;

namespace ReactiveCache.Orchestrator.Costs;

/// <summary>What <c>GET /costs</c> answers: usage so far, its price, and the counterfactuals.</summary>
public sealed record CostReport(
    string PriceTable,
    DateTimeOffset Since,
    DateTimeOffset Now,
    long Requests,
    long FunctionInvocations,
    long FunctionColdStarts,
    long FunctionBilledMs,
    int NodeStarts,
    double NodeSeconds,
    IReadOnlyList<double> NodeBilledSecondsPerStart,
    long S3Gets,
    CostBreakdown Total,
    CostBreakdown ElastiCache,
    CostBreakdown S3Only);
