using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// <c>reactive-cache bench load</c> (hidden): <see cref="ConcurrentGets"/> in a process of its own, its result as
/// one JSON line; <see cref="RunAsync"/> starts it from a bench, so that what the bench's process holds is the
/// server's and not the load's.
/// </summary>
public static class BenchLoadCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Required = true };
        var concurrency = new Option<int>("--concurrency") { DefaultValueFactory = _ => 64 };
        var requests = new Option<int>("--requests") { Description = "GETs per worker.", DefaultValueFactory = _ => 1 };
        var header = new Option<string?>("--header") { Description = "A header every answer must carry…" };
        var value = new Option<string?>("--value") { Description = "…with this value." };
        var command = new Command("load", "A bounded load of concurrent GETs in its own process (used by bench memory).")
        {
            url, concurrency, requests, header, value,
        };
        command.Hidden = true;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var check = parse.GetValue(header) is { } name ? new AnswerCheck(name, parse.GetValue(value) ?? "") : null;
            var result = await ConcurrentGets.RunAsync(new Uri(parse.GetValue(url)!), Math.Clamp(parse.GetValue(concurrency), 1, 1024),
                Math.Clamp(parse.GetValue(requests), 1, 100_000), check, cancellationToken);
            Console.WriteLine(JsonSerializer.Serialize(result));
            return 0;
        });
        return command;
    }

    /// <summary>Runs <c>bench load</c> as a child process and returns its result.</summary>
    public static async Task<ConcurrentGets.Result> RunAsync(Uri url, int concurrency, int perWorker, AnswerCheck? check, CancellationToken cancellationToken)
    {
        var arguments = new List<string>
        {
            "bench", "load", "--url", url.ToString(),
            "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture),
            "--requests", perWorker.ToString(CultureInfo.InvariantCulture),
        };
        if (check is not null)
        {
            arguments.AddRange(["--header", check.Header, "--value", check.Value]);
        }

        return await SelfProcess.RunForJsonAsync<ConcurrentGets.Result>(arguments, "The load process", cancellationToken);
    }
}
