using System.CommandLine;
using ReactiveCache.Cli.Infrastructure;
using ReactiveCache.Cli.Results;
using ReactiveCache.Domain.Costs;
using ReactiveCache.Domain.Simulation;
using ReactiveCache.Domain.Simulation.Optimum;

namespace ReactiveCache.Cli.Commands.Simulate;

/// <summary><c>simulate --trace F --system S</c>: a virtual-time run through the same policy code as production.</summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var trace = new Option<string>("--trace") { Description = "Trace file (id<TAB>offset_s<TAB>GET<TAB>key).", Required = true };
        var system = new Option<string>("--system") { Description = "reactive | always-on | elasticache | s3-only | optimal (the offline optimum of J) | thesis-optimal (the thesis's planner)", DefaultValueFactory = _ => "reactive" };
        system.AcceptOnlyFromAmong([.. SystemKindNames.Names]);
        var simulation = new SimulationOptionSet();
        var format = new Option<string>("--format") { Description = "text | json (summary on stdout)", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var requests = new Option<string?>("--requests") { Description = "Write every request (time, key, layer, latency) as CSV to FILE." };
        var output = new Option<string?>("--output") { Description = "Write the full result (summary, requests, intervals) as JSON to FILE, for 'report'." };
        var command = new Command("simulate", "Simulate a trace in virtual time: hit rate, latency and cost of a system.")
        {
            trace, system, format, requests, output,
        };
        simulation.AddTo(command);
        command.SetAction((parseResult, _) => CommandRunner.Run(parseResult, writer =>
        {
            var t = TraceLoader.Load(parseResult.GetValue(trace)!);
            SystemKindNames.TryParse(parseResult.GetValue(system), out var kind);
            var options = simulation.Read(parseResult) with { System = kind };
            var result = Simulator.Run(t, options);
            var document = ResultFiles.FromSimulation(result, includeDetails: true);
            if (kind is SystemKind.Reactive or SystemKind.Optimal)
            {
                // the yardstick: the offline optimum of J on the same trace with this seed's boot times
                var optimum = OfflineOptimum.Solve(t, options with { RecordRequests = false });
                document.OptimumExact = optimum.Exact;
                if (kind == SystemKind.Reactive)
                {
                    document.OptimumObjectiveUsd = (decimal)optimum.ObjectiveUsd;
                    document.OptimumRatio = optimum.ObjectiveUsd > 0 ? (double)result.ObjectiveUsd / optimum.ObjectiveUsd : null;
                }
            }

            if (parseResult.GetValue(requests) is { } csv)
            {
                ResultFiles.WriteRequestsCsv(document.RequestRows!, csv);
            }

            if (parseResult.GetValue(output) is { } json)
            {
                ResultFiles.Save(document, json);
            }

            if (parseResult.GetValue(format) == "json")
            {
                document.RequestRows = null;
                document.NodeRuns = null;
                document.FunctionRuns = null;
                writer.WriteLine(ResultFiles.Serialize(document));
            }
            else
            {
                SummaryPrinter.Print(document, writer);
            }

            return 0;
        }));
        return command;
    }
}
