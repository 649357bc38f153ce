using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// <c>reactive-cache bench soak-load</c> (hidden): the <see cref="LoadGenerator"/>'s mix in a process of its own, its
/// result as one JSON line; <see cref="RunAsync"/> starts it from <c>bench soak</c>, so that the memory the soak
/// reports is the gateway's and not the load's.
/// </summary>
public static class SoakLoadCommand
{
    /// <summary>What the load saw: answers from their layer, from another (fallbacks), errors, and latency percentiles (ms).</summary>
    public sealed record Result(long Answers, long Fallbacks, long Errors, double Seconds, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs);

    public static Command Create()
    {
        var targets = new Option<string[]>("--target") { Required = true, Description = "url=layer: a URL of the mix and the Content-Origin its answers must carry.", AllowMultipleArgumentsPerToken = false };
        var connections = new Option<int>("--connections") { DefaultValueFactory = _ => 1000 };
        var warmup = new Option<double>("--warmup-seconds") { DefaultValueFactory = _ => 5 };
        var duration = new Option<double>("--seconds") { DefaultValueFactory = _ => 60 };
        var command = new Command("soak-load", "The soak's load in its own process (used by bench soak).")
        {
            targets, connections, warmup, duration,
        };
        command.Hidden = true;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var mix = parse.GetValue(targets)!.Select(t => t.Split('=', 2))
                .Select(p => new LoadGenerator.LoadTarget(new Uri(p[0]), new AnswerCheck("Content-Origin", p[1]))).ToList();
            var count = Math.Clamp(parse.GetValue(connections), 1, 10_000);
            using var load = new LoadGenerator(count);
            var result = await load.RunMixAsync(mix, TimeSpan.FromSeconds(parse.GetValue(warmup)), TimeSpan.FromSeconds(parse.GetValue(duration)), cancellationToken);
            var latency = result.Latency;
            Console.WriteLine(JsonSerializer.Serialize(new Result(latency.Count, result.Others, result.Errors, result.Elapsed.TotalSeconds,
                latency.P50Ms, latency.P90Ms, latency.P99Ms, latency.P999Ms, latency.MaxMs)));
            return 0;
        });
        return command;
    }

    /// <summary>Runs <c>bench soak-load</c> as a child process and returns its result.</summary>
    public static async Task<Result> RunAsync(IEnumerable<(Uri Url, string Layer)> mix, int connections, TimeSpan warmup, TimeSpan duration,
        CancellationToken cancellationToken)
    {
        var arguments = new List<string>
        {
            "bench", "soak-load",
            "--connections", connections.ToString(CultureInfo.InvariantCulture),
            "--warmup-seconds", warmup.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--seconds", duration.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (url, layer) in mix)
        {
            arguments.AddRange(["--target", $"{url}={layer}"]);
        }

        return await SelfProcess.RunForJsonAsync<Result>(arguments, "The soak's load process", cancellationToken);
    }
}
