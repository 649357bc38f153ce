using System.CommandLine;
using ReactiveCache.Cli.Infrastructure;
using ReactiveCache.Domain.Traces;
using ReactiveCache.Domain.Traces.Generators;

namespace ReactiveCache.Cli.Commands.Trace;

/// <summary><c>trace generate poisson|spike|zipf|flash-crowd|on-off|diurnal|family</c>: seeded, reproducible synthetic traces.</summary>
public static class TraceGenerateCommand
{
    public static Command Create()
    {
        var command = new Command("generate", "Generate a synthetic trace (seeded, reproducible).");
        command.Subcommands.Add(Poisson());
        command.Subcommands.Add(Spike());
        command.Subcommands.Add(Zipf());
        command.Subcommands.Add(FlashCrowd());
        command.Subcommands.Add(OnOff());
        command.Subcommands.Add(Diurnal());
        command.Subcommands.Add(Family());
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

    private static Command FlashCrowd()
    {
        var duration = new Option<double>("--duration") { Description = "Minutes.", DefaultValueFactory = _ => 180 };
        var crowds = new Option<int>("--crowds") { Description = "Number of crowds, one per equal slice of the window.", DefaultValueFactory = _ => 3 };
        var peak = new Option<double>("--peak") { Description = "Requests per minute when a crowd starts.", DefaultValueFactory = _ => 60 };
        var decay = new Option<double>("--decay") { Description = "Time constant of a crowd's decay, seconds.", DefaultValueFactory = _ => 120 };
        var keys = new Option<int>("--keys") { Description = "Keys a crowd's key is drawn from (Zipf).", DefaultValueFactory = _ => 3 };
        var seed = SeedOption();
        var output = OutputOption();
        var command = new Command("flash-crowd", "Flash crowds after long silence (exponentially decaying bursts on one key each).") { duration, crowds, peak, decay, keys, seed, output };
        command.SetAction((parseResult, _) => CommandRunner.Run(parseResult, writer =>
        {
            var trace = FlashCrowdTraceGenerator.Generate(
                Positive(parseResult.GetValue(duration), "--duration"), PositiveCount(parseResult.GetValue(crowds), "--crowds"),
                Positive(parseResult.GetValue(peak), "--peak"), Positive(parseResult.GetValue(decay), "--decay"),
                PositiveCount(parseResult.GetValue(keys), "--keys"), parseResult.GetValue(seed));
            return Emit(trace, parseResult.GetValue(output), writer);
        }));
        return command;
    }

    private static Command OnOff()
    {
        var duration = new Option<double>("--duration") { Description = "Minutes.", DefaultValueFactory = _ => 120 };
        var rate = new Option<double>("--rate") { Description = "Requests per minute while on.", DefaultValueFactory = _ => 12 };
        var onMin = new Option<double>("--on-min") { Description = "Shortest burst, minutes.", DefaultValueFactory = _ => 2 };
        var onMax = new Option<double>("--on-max") { Description = "Longest burst, minutes.", DefaultValueFactory = _ => 6 };
        var offMin = new Option<double>("--off-min") { Description = "Shortest silence, minutes.", DefaultValueFactory = _ => 3 };
        var offMax = new Option<double>("--off-max") { Description = "Longest silence, minutes.", DefaultValueFactory = _ => 10 };
        var keys = new Option<int>("--keys") { Description = "Keys (Zipf).", DefaultValueFactory = _ => 1 };
        var seed = SeedOption();
        var output = OutputOption();
        var command = new Command("on-off", "Bursts of Poisson arrivals separated by silences of several minutes.") { duration, rate, onMin, onMax, offMin, offMax, keys, seed, output };
        command.SetAction((parseResult, _) => CommandRunner.Run(parseResult, writer =>
        {
            double lo = Positive(parseResult.GetValue(onMin), "--on-min"), hi = Positive(parseResult.GetValue(onMax), "--on-max");
            double offLo = NonNegative(parseResult.GetValue(offMin), "--off-min"), offHi = NonNegative(parseResult.GetValue(offMax), "--off-max");
            if (hi < lo || offHi < offLo)
            {
                throw new CliError("--on-max and --off-max must not be below --on-min and --off-min.");
            }

            var trace = OnOffTraceGenerator.Generate(
                Positive(parseResult.GetValue(duration), "--duration"), Positive(parseResult.GetValue(rate), "--rate"), lo, hi, offLo, offHi,
                PositiveCount(parseResult.GetValue(keys), "--keys"), parseResult.GetValue(seed));
            return Emit(trace, parseResult.GetValue(output), writer);
        }));
        return command;
    }

    private static Command Diurnal()
    {
        var hours = new Option<double>("--hours") { Description = "Length of the trace, hours.", DefaultValueFactory = _ => 24 };
        var rate = new Option<double>("--rate") { Description = "Mean requests per minute.", DefaultValueFactory = _ => 2 };
        var amplitude = new Option<double>("--amplitude") { Description = "0..1: the rate swings between (1 − a) and (1 + a) times the mean.", DefaultValueFactory = _ => 0.9 };
        var keys = new Option<int>("--keys") { Description = "Keys (Zipf).", DefaultValueFactory = _ => 10 };
        var skew = new Option<double>("--skew") { Description = "Zipf exponent.", DefaultValueFactory = _ => 1.0 };
        var seed = SeedOption();
        var output = OutputOption();
        var command = new Command("diurnal", "A day of load: Poisson arrivals whose rate follows a sine over 24 hours.") { hours, rate, amplitude, keys, skew, seed, output };
        command.SetAction((parseResult, _) => CommandRunner.Run(parseResult, writer =>
        {
            double a = parseResult.GetValue(amplitude);
            if (!(a >= 0 && a <= 1))
            {
                throw new CliError("--amplitude must be from 0 to 1.");
            }

            var trace = DiurnalTraceGenerator.Generate(
                Positive(parseResult.GetValue(hours), "--hours"), Positive(parseResult.GetValue(rate), "--rate"), a,
                PositiveCount(parseResult.GetValue(keys), "--keys"), NonNegative(parseResult.GetValue(skew), "--skew"), parseResult.GetValue(seed));
            return Emit(trace, parseResult.GetValue(output), writer);
        }));
        return command;
    }

    private static Command Family()
    {
        var name = new Argument<string>("name") { Description = "One of the evaluation's trace families (docs/policy.md)." };
        name.AcceptOnlyFromAmong([.. TraceFamilies.All.Select(f => f.Name)]);
        var seed = SeedOption();
        var output = OutputOption();
        var command = new Command("family", "A trace of one of the evaluation's families, as the policy report generates it for a seed.") { name, seed, output };
        command.SetAction((parseResult, _) => CommandRunner.Run(parseResult, writer =>
        {
            var family = TraceFamilies.Find(parseResult.GetValue(name)!)!;
            return Emit(family.Generate(parseResult.GetValue(seed)), parseResult.GetValue(output), writer);
        }));
        return command;
    }

    private static int PositiveCount(int value, string name) =>
        value > 0 ? value : throw new CliError($"{name} must be a positive integer; got {value}.");

    private static double NonNegative(double value, string name) =>
        value >= 0 && double.IsFinite(value) ? value : throw new CliError($"{name} must be a non-negative number; got {value}.");

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
