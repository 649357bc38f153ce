using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ReactiveCache.Cli.Infrastructure;
using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Simulation;
using ReactiveCache.Domain.Traces.Generators;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary><c>bench simulate</c>: the simulator's own speed, in events per second.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Benchmarks.");
        var keys = new Option<int>("--keys") { DefaultValueFactory = _ => 1000, Description = "Objects in the synthetic trace." };
        var rate = new Option<double>("--rate") { DefaultValueFactory = _ => 60000, Description = "Requests per minute in total." };
        var duration = new Option<double>("--duration") { DefaultValueFactory = _ => 60, Description = "Minutes." };
        var policy = new Option<string>("--policy") { DefaultValueFactory = _ => "thesis" };
        policy.AcceptOnlyFromAmong("thesis", "default");
        var trace = new Option<string?>("--trace") { Description = "Also time this trace file (mean of many runs)." };
        var simulate = new Command("simulate", "Events per second of the simulator on a large Zipf trace (and optionally a given trace).")
        {
            keys, rate, duration, policy, trace,
        };
        simulate.SetAction((parseResult, _) => CommandRunner.Run(parseResult, writer =>
        {
            var kind = parseResult.GetValue(policy) == "default" ? PolicyKind.Default : PolicyKind.Thesis;
            var options = new SimulationOptions { Policy = kind, Rate = 3, Sensitivity = 4, RecordRequests = false };
            var big = ZipfTraceGenerator.Generate(parseResult.GetValue(keys), 1.0, parseResult.GetValue(rate), parseResult.GetValue(duration), 42);
            Simulator.Run(big, options);
            var sw = Stopwatch.StartNew();
            var result = Simulator.Run(big, options);
            sw.Stop();
            double perSecond = result.Events / sw.Elapsed.TotalSeconds;
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"zipf trace: {big.Count} requests, {big.Keys.Count} keys, {result.Events} events in {sw.Elapsed.TotalMilliseconds:0.0} ms = {perSecond / 1e6:0.00} M events/s ({kind})"));
            if (parseResult.GetValue(trace) is { } path)
            {
                var t = TraceLoader.Load(path);
                var small = options with { RecordRequests = true };
                for (int i = 0; i < 20; i++)
                {
                    Simulator.Run(t, small);
                }

                const int runs = 200;
                sw.Restart();
                for (int i = 0; i < runs; i++)
                {
                    Simulator.Run(t, small with { Seed = i });
                }

                sw.Stop();
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{t.Name}: {t.Count} requests, {sw.Elapsed.TotalMilliseconds / runs:0.000} ms per run (mean of {runs})"));
            }

            return 0;
        }));
        command.Subcommands.Add(simulate);
        command.Subcommands.Add(GatewayBenchCommand.Create());
        command.Subcommands.Add(BenchStartupCommand.Create());
        command.Subcommands.Add(BenchLatencyCommand.Create());
        command.Subcommands.Add(MemoryBenchCommand.Create());
        command.Subcommands.Add(BenchLoadCommand.Create());
        command.Subcommands.Add(SoakBenchCommand.Create());
        command.Subcommands.Add(SoakLoadCommand.Create());
        command.Subcommands.Add(BenchOriginCommand.Create());
        return command;
    }
}
