using System.Globalization;

namespace ReactiveCache.Cli.Results;

/// <summary>A human-readable summary of one result.</summary>
public static class SummaryPrinter
{
    public static void Print(ResultDocument r, TextWriter w)
    {
        var c = CultureInfo.InvariantCulture;
        w.WriteLine($"trace            {r.Trace} ({r.Requests} requests, {r.DurationSeconds.ToString("0", c)} s)");
        w.WriteLine($"system           {r.Label}");
        w.WriteLine($"in memory (hit)  {r.HitPercent.ToString("0.00", c)} %");
        w.WriteLine($"mean latency     {r.MeanLatencyMs.ToString("0.00", c)} ms");
        foreach (var (layer, usd) in r.CostByLayerUsd)
        {
            w.WriteLine($"cost {layer,-11} ${usd.ToString("0.########", c)}");
        }

        w.WriteLine($"cost total       ${r.TotalCostUsd.ToString("0.########", c)} ({r.PriceTable})");
        w.WriteLine($"objective J      ${r.ObjectiveUsd.ToString("0.########", c)} (cost + ${r.ValuePerHitUsd.ToString("0.#######", c)} per GET answered by S3)");
        if (r.OptimumObjectiveUsd is { } optimum)
        {
            w.WriteLine($"optimum J        ${optimum.ToString("0.########", c)} ({(r.OptimumExact == true ? "exact" : "lower bound")}); J / optimum {r.OptimumRatio?.ToString("0.000", c)}");
        }
        w.WriteLine($"functions        {r.FunctionInvocations} invocations, {r.FunctionColdStarts} cold, {r.FunctionBilledMs} ms billed");
        w.WriteLine($"node             {r.NodeStarts} starts, {r.NodeSeconds.ToString("0.#", c)} s");
        w.WriteLine($"S3 GETs          {r.S3Gets}");
    }
}
