using System.CommandLine;
using System.Globalization;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary><c>reactive-cache bench soak</c>: its options (see <see cref="SoakBench"/> for what it measures).</summary>
public static class SoakBenchCommand
{
    public static Command Create()
    {
        var connections = new Option<int>("--connections") { Description = "Concurrent connections (closed loop), spread over the mix.", DefaultValueFactory = _ => 1000 };
        var duration = new Option<string>("--duration") { Description = "How long the load runs: 60s, 2m, or seconds.", DefaultValueFactory = _ => "60s" };
        var warmup = new Option<string>("--warmup") { Description = "Warm-up before the measurement (same forms).", DefaultValueFactory = _ => "5s" };
        var command = new Command("soak", "The gateway under many connections for a long while: errors (goal 0), fallbacks, p50/p99 latency, its RSS at the start and the end.")
        {
            connections, duration, warmup,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (await SelfProcess.RerunWithServerGcAsync(cancellationToken) is { } exit)
            {
                return exit;
            }

            if (ParseDuration(parse.GetValue(duration)) is not { } measured || ParseDuration(parse.GetValue(warmup)) is not { } warm)
            {
                await Console.Error.WriteLineAsync($"--duration '{parse.GetValue(duration)}' or --warmup '{parse.GetValue(warmup)}' is not a duration (60s, 2m, or seconds).");
                return 2;
            }

            return await SoakBench.RunAsync(Math.Clamp(parse.GetValue(connections), 1, 10_000), warm, measured, cancellationToken);
        });
        return command;
    }

    /// <summary>"60s", "2m", "90" (seconds); null when it is none of those or not positive (a warm-up may be 0).</summary>
    public static TimeSpan? ParseDuration(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var (number, unit) = text.EndsWith('s') ? (text[..^1], 1.0) : text.EndsWith('m') ? (text[..^1], 60.0) : (text, 1.0);
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && value <= 24 * 3600
            ? TimeSpan.FromSeconds(value * unit)
            : null;
    }
}
