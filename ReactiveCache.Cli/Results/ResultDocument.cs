using System.Text.Json.Serialization;

namespace ReactiveCache.Cli.Results;

/// <summary>
/// The result file shared by <c>simulate</c> and <c>replay</c> and read by <c>report</c>: the summary at the
/// top level (what scripts read), optionally every request and the function/node intervals.
/// </summary>
public sealed class ResultDocument
{
    public string Source { get; set; } = "simulate";

    public string Trace { get; set; } = string.Empty;

    public string System { get; set; } = string.Empty;

    public string Policy { get; set; } = string.Empty;

    public double? Rate { get; set; }

    public int? Sensitivity { get; set; }

    public int? Seed { get; set; }

    public string PriceTable { get; set; } = string.Empty;

    public double DurationSeconds { get; set; }

    public long Requests { get; set; }

    public long InMemory { get; set; }

    public double HitPercent { get; set; }

    public double MeanLatencyMs { get; set; }

    public decimal TotalCostUsd { get; set; }

    /// <summary>v: what a GET answered from memory instead of S3 is worth (from the sensitivity).</summary>
    public double ValuePerHitUsd { get; set; }

    /// <summary>The objective J = total $ + v × client GETs answered by S3.</summary>
    public decimal ObjectiveUsd { get; set; }

    /// <summary>J of the offline optimum on the same trace and seed (reactive runs).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? OptimumObjectiveUsd { get; set; }

    /// <summary>J / J of the optimum (reactive runs).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? OptimumRatio { get; set; }

    /// <summary>Whether the optimum is exact (true) or a certified lower bound (false), for reactive and optimal runs.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? OptimumExact { get; set; }

    public Dictionary<string, decimal> CostByLayerUsd { get; set; } = [];

    public long FunctionInvocations { get; set; }

    public long FunctionColdStarts { get; set; }

    public long FunctionBilledMs { get; set; }

    public int NodeStarts { get; set; }

    public double NodeSeconds { get; set; }

    public long S3Gets { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<RequestRow>? RequestRows { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<IntervalRow>? NodeRuns { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<IntervalRow>? FunctionRuns { get; set; }

    /// <summary>A label for tables and legends: system, policy and configuration.</summary>
    [JsonIgnore]
    public string Label => System == "reactive"
        ? FormattableString.Invariant($"{Policy} r{Rate} s{Sensitivity}")
        : System;
}
