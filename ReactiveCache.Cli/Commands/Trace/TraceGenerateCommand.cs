using System.CommandLine;
using ReactiveCache.Cli.Infrastructure;
using ReactiveCache.Domain.Traces;
using ReactiveCache.Domain.Traces.Generators;

namespace ReactiveCache.Cli.Commands.Trace;

/// <summary><c>trace generate poisson|spike|zipf</c>: seeded, reproducible synthetic traces.</summary>
public static class TraceGenerateCommand
{
    public static Command Create()
    {
        var command = new Command("generate", "Generate a synthetic trace (seeded, reproducible).");
        command.Subcommands.Add(Poisson());
        command.Subcommands.Add(Spike());
        command.Subcommands.Add(Zipf());
        return command;
    }

    private static Option<string?> OutputOption() => new("--output") { Description = "Trace file to write (default: stdout)." };

    private static Option<int> SeedOption() => new("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };

    private static Command Poisson()
    {
        var duration = new Option<double>("--duration") { Description = "Minutes.", Required = true };
        var lambda = new Option<double>("--lambda") { Description = "Mean requests per minute.", Required = true };
        var key = new Option<string>("--key") { DefaultValueFactory = _ => TraceFormat.DefaultKey };
        var seed = SeedOption();
        var output = OutputOption();
        var command = new Command("poisson", "One key, Poisson arrivals (whole seconds, like the thesis).") { duration, lambda, key, seed, output };
        command.SetAction((parseResult, _) => CommandRunner.Run(parseResult, writer =>
        {
            double d = Positive(parseResult.GetValue(duration), "--duration");
            double l = Positive(parseResult.GetValue(lambda), "--lambda");
            var trace = PoissonTraceGenerator.Generate(d, l, parseResult.GetValue(seed), parseResult.GetValue(key)!);
            return Emit(trace, parseResult.GetValue(output), writer);
        }));
        return command;
    }

    private static Command Spike()
    {
        var samples = new Option<int>("--samples") { Description = "Number of requests.", Required = true };
        var sigma = new Option<double>("--sigma") { Description = "Standard deviation in seconds.", Required = true };
        var key = new Option<string>("--key") { DefaultValueFactory = _ => TraceFormat.DefaultKey };
        var seed = SeedOption();
        var output = OutputOption();
        var command = new Command("spike", "One key, one normal-distribution spike (the thesis's spike-simple).") { samples, sigma, key, seed, output };
        command.SetAction((parseResult, _) => CommandRunner.Run(parseResult, writer =>
        {
            int n = parseResult.GetValue(samples);
            if (n <= 0)
            {
                throw new CliError("--samples must be positive.");
            }

            var trace = SpikeTraceGenerator.Generate(n, Positive(parseResult.GetValue(sigma), "--sigma"), parseResult.GetValue(seed), parseResult.GetValue(key)!);
            return Emit(trace, parseResult.GetValue(output), writer);
        }));
        return command;
    }

    private static Command Zipf()
    {
        var keys = new Option<int>("--keys") { Description = "Number of objects.", Required = true };
        var skew = new Option<double>("--skew") { Description = "Zipf exponent (0 = uniform).", DefaultValueFactory = _ => 1.0 };
        var rate = new Option<double>("--rate") { Description = "Total requests per minute.", Required = true };
        var duration = new Option<double>("--duration") { Description = "Minutes.", Required = true };
        var seed = SeedOption();
        var output = OutputOption();
        var command = new Command("zipf", "Many objects, Poisson arrivals, Zipf-distributed keys.") { keys, skew, rate, duration, seed, output };
        command.SetAction((parseResult, _) => CommandRunner.Run(parseResult, writer =>
        {
            int k = parseResult.GetValue(keys);
            if (k <= 0)
            {
                throw new CliError("--keys must be positive.");
            }

            double a = parseResult.GetValue(skew);
            if (a < 0 || !double.IsFinite(a))
            {
                throw new CliError("--skew must be a non-negative number.");
            }

            var trace = ZipfTraceGenerator.Generate(k, a, Positive(parseResult.GetValue(rate), "--rate"), Positive(parseResult.GetValue(duration), "--duration"), parseResult.GetValue(seed));
            return Emit(trace, parseResult.GetValue(output), writer);
        }));
        return command;
    }

    internal static int Emit(Domain.Traces.Trace trace, string? output, TextWriter writer)
    {
        if (output is null)
        {
            TraceFormat.Write(trace, writer);
        }
        else
        {
            TraceFormat.Save(trace, output);
            writer.WriteLine($"wrote {output}: {trace.Count} requests, {trace.Keys.Count} keys, {trace.Duration.TotalSeconds:0} s");
        }

        return 0;
    }

    private static double Positive(double value, string name) =>
        value > 0 && double.IsFinite(value) ? value : throw new CliError($"{name} must be a positive number; got {value}.");
}
