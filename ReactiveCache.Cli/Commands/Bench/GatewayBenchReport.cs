using Spectre.Console;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>Prints what <c>bench gateway</c> measured: one row per object and target, then the verdicts.</summary>
public static class GatewayBenchReport
{
    /// <summary>The width the report is printed at into a log (output redirected): wide enough for every column and row label whole.</summary>
    public const int LogWidth = 200;

    public static void Write(IAnsiConsole console, GatewayBenchResults results, IReadOnlyList<Verdict> verdicts)
    {
        console.Write(Rows(results));
        console.MarkupLine($"[grey]{Environment.ProcessorCount} cores shared by the load generator, both servers and redis-server; \"CPU µs/req here\" counts this process (load generator + server under test), \"alloc B/req here\" the managed bytes it allocated per request (a row's minus its floor's: what the path under test allocates). errors: failed requests, non-200 answers, and gateway answers from another layer than the row's (Content-Origin), which are not counted as requests. Latencies: every round's samples pooled (HDR histogram, 3 significant digits).[/]");
        if (results.Targets.Any(t => t.Cpu == SideProcess.Function))
        {
            console.MarkupLine("[grey]lambda rows: the same in-process gateway, keys routed to the Lambda layer, forwarding through the tunnel to one function process that holds the objects in memory; \"CPU µs/req here\" leaves the function's process out, the last column is the function's. YARP-hop floor: bare Kestrel forwarding to itself over loopback with YARP, nothing else; to another process: the same hop to bare Kestrel in a process of its own (the last column is that process's CPU), the hop the tunnel makes to the function's process.[/]");
        }

        if (results.Targets.Any(t => t.Cpu == SideProcess.Nginx))
        {
            console.MarkupLine("[grey]peer row: nginx (its own processes, a worker per core) with proxy_cache in front of the bare endpoint, warmed, every counted answer a cache HIT (X-Cache-Status); its last column is nginx's CPU (master and workers). CPU/req verdicts add both CPU columns.[/]");
        }

        console.Write(Verdicts(verdicts));
        // The verdict is printed, not turned into an exit code: figures from a shared machine are noisy.
        console.MarkupLine(verdicts.All(v => v.Met != false)
            ? "[green]all targets met[/]"
            : verdicts.All(v => v.Met != false || v.Blocked)
                ? "[yellow]every target met or blocked (see above: a blocked target's floor misses it too)[/]"
                : "[yellow]not every target met (see above)[/]");
    }

    private static Table Rows(GatewayBenchResults results)
    {
        var table = new Table().AddColumns("object", "target", "requests", "errors", "RPS", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms",
            "CPU µs/req here", "CPU µs/req redis-server | function | origin | nginx", "alloc B/req here");
        foreach (var @object in results.Objects)
        {
            foreach (var target in results.Targets)
            {
                if (results.Pooled(@object, target) is not { } row)
                {
                    continue;
                }

                var latency = row.Latency;
                table.AddRow(Markup.Escape(@object), Markup.Escape(target.Label), row.Requests.ToString("N0"), row.Errors.ToString("N0"),
                    row.RequestsPerSecond.ToString("N0"), Ms(latency.P50Ms), Ms(latency.P90Ms), Ms(latency.P99Ms), Ms(latency.P999Ms), Ms(latency.MaxMs),
                    row.ProcessCpuUsPerRequest.ToString("F1"), row.SideCpuUsPerRequest.ToString("F1"), row.ProcessBytesPerRequest.ToString("N0"));
            }
        }

        return table;
    }

    private static Table Verdicts(IReadOnlyList<Verdict> verdicts)
    {
        var table = new Table().Title("verdicts (within this run)").AddColumns("object", "comparison", "goal", "value", "figures", "threshold", "verdict");
        foreach (var verdict in verdicts)
        {
            var rule = verdict.Rule;
            var comparison = rule.Metric.HigherIsBetter ? "≥" : "≤";
            table.AddRow(
                Markup.Escape(verdict.Object),
                Markup.Escape(rule.Name),
                rule.Goal ?? "-",
                Value(rule, verdict.Value),
                Markup.Escape($"{verdict.Measured.ToString(rule.Metric.Format)} vs {verdict.Baseline.ToString(rule.Metric.Format)} {rule.Metric.Unit}"),
                verdict.Threshold is { } threshold ? Markup.Escape($"{comparison} {Value(rule, threshold)}") : "-",
                verdict switch
                {
                    { Met: true } => "[green]met[/]",
                    { Blocked: true } => $"[yellow]blocked[/] (floor {Markup.Escape(rule.Floor!.Name)}: {Value(rule, verdict.FloorValue!.Value)})",
                    { Met: false, Errors: > 0 } => $"[red]not met[/] ({verdict.Errors:N0} errors)",
                    { Met: false } => "[red]not met[/]",
                    _ => "[grey]reference[/]",
                });
        }

        return table;
    }

    /// <summary>A rule's value as it reads: “0.84×”, or “+9.8 µs” for a difference.</summary>
    private static string Value(VerdictRule rule, double value) => rule.Scale == VerdictScale.Ratio
        ? value.ToString("F2") + "×"
        : value.ToString("+0.0;-0.0;0.0") + " " + rule.Metric.Unit;

    private static string Ms(double ms) => ms.ToString("F3");
}
