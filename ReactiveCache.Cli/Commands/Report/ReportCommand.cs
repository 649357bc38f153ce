using System.CommandLine;
using System.Globalization;
using System.Text;
using ReactiveCache.Cli.Infrastructure;
using ReactiveCache.Cli.Results;

namespace ReactiveCache.Cli.Commands.Report;

/// <summary>
/// <c>report --input R.json … --output DIR</c>: a Markdown table and plots from result files;
/// <c>report --thesis --traces DIR --output DIR</c>: runs the thesis's configurations and recreates its
/// tables side by side with its values; <c>report --policies --traces DIR --output DIR</c>: J / OPT of every policy on
/// every published trace and trace family at sensitivities 1–5.
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var inputs = new Option<string[]>("--input") { Description = "Result files (from simulate --output or replay --output).", AllowMultipleArgumentsPerToken = true };
        var thesis = new Option<bool>("--thesis") { Description = "Reproduce the thesis's tables from its traces (needs --traces)." };
        var policies = new Option<bool>("--policies") { Description = "J / OPT of the policies on the thesis's traces and every trace family, sensitivities 1–5 (needs --traces)." };
        var parallel = new Option<int>("--parallel") { Description = "Seeds simulated at once (--policies).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var traces = new Option<string?>("--traces") { Description = "Folder with the thesis's traces." };
        var seeds = new Option<int>("--seeds") { Description = "Seeds to average random runs over.", DefaultValueFactory = _ => 20 };
        var firstSeed = new Option<int>("--first-seed")
        {
            Description = "The first of the seeds (--seeds N runs seeds F..F+N-1): development seeds apart from the reported 1..N, so that nothing is tuned on the seeds a table reports.",
            DefaultValueFactory = _ => 1,
        };
        var output = new Option<string>("--output") { Description = "Folder to write report.md / README.md and the plots to.", DefaultValueFactory = _ => "docs/results" };
        var command = new Command("report", "Markdown tables and plots (PNG, SVG) from results, or the thesis's tables recreated.")
        {
            inputs, thesis, policies, traces, seeds, firstSeed, parallel, output,
        };
        command.SetAction((parseResult, _) => CommandRunner.Run(parseResult, writer =>
        {
            string dir = parseResult.GetValue(output)!;
            Directory.CreateDirectory(dir);
            if (parseResult.GetValue(policies) || parseResult.GetValue(thesis))
            {
                string folder = parseResult.GetValue(traces) ?? throw new CliError("--thesis and --policies need --traces DIR (the thesis's trace files).");
                if (!Directory.Exists(folder))
                {
                    throw new CliError($"trace folder '{folder}' does not exist.");
                }

                int n = parseResult.GetValue(seeds);
                if (n <= 0)
                {
                    throw new CliError("--seeds must be positive.");
                }

                int first = parseResult.GetValue(firstSeed);
                if (first <= 0 || first > int.MaxValue - n + 1)
                {
                    throw new CliError($"--first-seed must be between 1 and {int.MaxValue - n + 1}.");
                }

                int[] seedList = [.. Enumerable.Range(first, n)];

                if (parseResult.GetValue(policies))
                {
                    writer.WriteLine($"wrote {PolicyReport.Write(folder, dir, seedList, Math.Max(1, parseResult.GetValue(parallel)), writer)}");
                }

                if (parseResult.GetValue(thesis))
                {
                    writer.WriteLine($"wrote {ThesisReport.Write(folder, dir, seedList)}");
                }

                return 0;
            }

            var files = parseResult.GetValue(inputs) ?? [];
            if (files.Length == 0)
            {
                throw new CliError("give result files with --input, or --thesis --traces DIR.");
            }

            var results = files.Select(ResultFiles.Load).ToList();
            string md = Path.Combine(dir, "report.md");
            File.WriteAllText(md, ResultsReport(results, dir));
            writer.WriteLine($"wrote {md}");
            return 0;
        }));
        return command;
    }

    public static string ResultsReport(IReadOnlyList<ResultDocument> results, string dir)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("# Results\n\n| trace | system | source | requests | hit % | mean latency ms | S3 $ | Lambda $ | Redis $ | total $ |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < results.Count; i++)
        {
            var r = results[i];
            sb.Append(c, $"| {r.Trace} | {r.Label} | {r.Source} | {r.Requests} | {r.HitPercent:0.00} | {r.MeanLatencyMs:0.0} | {r.CostByLayerUsd.GetValueOrDefault("s3"):0.0000000} | {r.CostByLayerUsd.GetValueOrDefault("lambda"):0.0000000} | {r.CostByLayerUsd.GetValueOrDefault("redis"):0.0000000} | {r.TotalCostUsd:0.0000000} |\n");
        }

        sb.Append('\n');
        for (int i = 0; i < results.Count; i++)
        {
            if (results[i].RequestRows is { Count: > 0 })
            {
                string name = $"timeline-{i + 1}";
                Plots.Timeline(results[i], dir, name);
                sb.Append(c, $"![{results[i].Trace} {results[i].Label}]({name}.png)\n\n");
            }
        }

        Plots.CostBars(results, dir, "cost-by-layer", "cost per layer");
        Plots.HitVsCost([.. results.Select(r => (r.System == "reactive" ? r.Policy : r.System, r))], dir, "hit-vs-cost", "hit % vs cost");
        sb.Append("![cost per layer](cost-by-layer.png)\n\n![hit vs cost](hit-vs-cost.png)\n");
        return sb.ToString();
    }
}
