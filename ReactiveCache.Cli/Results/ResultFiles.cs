using ReactiveCache.Core.Routing;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Simulation;
using ReactiveCache.Domain;

namespace ReactiveCache.Cli.Results;

/// <summary>Reads and writes result documents (JSON) and per-request rows (CSV).</summary>
public static class ResultFiles
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static ResultDocument FromSimulation(SimulationResult r, bool includeDetails)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new ResultDocument
        {
            Source = "simulate",
            Trace = r.Trace,
            System = r.System,
            Policy = r.Policy,
            Rate = r.System == SystemKind.Reactive.ToName() ? r.Rate : null,
            Sensitivity = r.System == SystemKind.Reactive.ToName() ? r.Sensitivity : null,
            Seed = r.Seed,
            PriceTable = r.PriceTable,
            DurationSeconds = r.DurationSeconds,
            Requests = r.Requests,
            InMemory = r.InMemory,
            HitPercent = r.HitPercent,
            MeanLatencyMs = r.MeanLatencyMs,
            TotalCostUsd = r.Cost.Total,
            ValuePerHitUsd = r.ValuePerHitUsd,
            ObjectiveUsd = r.ObjectiveUsd,
            CostByLayerUsd = new Dictionary<string, decimal>(r.Cost.ByLayer),
            FunctionInvocations = r.Usage.FunctionInvocations,
            FunctionColdStarts = r.Usage.FunctionColdStarts,
            FunctionBilledMs = r.Usage.FunctionBilledMs,
            NodeStarts = r.Usage.NodeStarts,
            NodeSeconds = r.Usage.NodeSeconds,
            S3Gets = r.Usage.S3Gets,
            RequestRows = includeDetails ? [.. r.Outcomes.Select(o => new RequestRow(o.OffsetSeconds, o.Key, o.Layer.ToName(), o.LatencyMs))] : null,
            NodeRuns = includeDetails ? [.. r.NodeRuns.Select(i => new IntervalRow(i.Start, i.End, i.Label))] : null,
            FunctionRuns = includeDetails ? [.. r.FunctionRuns.Select(i => new IntervalRow(i.Start, i.End, i.Label))] : null,
        };
    }

    public static string Serialize(ResultDocument document) => JsonSerializer.Serialize(document, Json);

    public static void Save(ResultDocument document, string path) => File.WriteAllText(path, Serialize(document) + "\n");

    public static ResultDocument Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"result file '{path}' does not exist.", path);
        }

        return JsonSerializer.Deserialize<ResultDocument>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"'{path}' holds no result.");
    }

    public static void WriteRequestsCsv(IEnumerable<RequestRow> rows, string path)
    {
        var sb = new StringBuilder("time_s,key,layer,latency_ms\n");
        foreach (var r in rows)
        {
            sb.Append(r.Time.ToString("0.###", CultureInfo.InvariantCulture)).Append(',')
                .Append(Csv(r.Key)).Append(',')
                .Append(r.Layer).Append(',')
                .Append(r.LatencyMs.ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
        }

        File.WriteAllText(path, sb.ToString());
    }

    private static string Csv(string value) =>
        value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal)
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
}
