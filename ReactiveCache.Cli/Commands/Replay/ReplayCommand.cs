using System.CommandLine;
using ReactiveCache.Cli.Infrastructure;
using ReactiveCache.Cli.Results;
using ReactiveCache.Domain.Costs;
using ReactiveCache.Domain.Traces;

namespace ReactiveCache.Cli.Commands.Replay;

/// <summary><c>replay --target URL --trace F [--speed k]</c>: the trace's GETs against a running gateway, live.</summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var target = new Option<string>("--target") { Description = "Gateway base URL, e.g. http://127.0.0.1:4000 (GET <target>/objects/<key>).", Required = true };
        var trace = new Option<string>("--trace") { Description = "Trace file.", Required = true };
        var speed = new Option<double>("--speed") { Description = "Time compression: 2 = twice as fast.", DefaultValueFactory = _ => 1.0 };
        var key = new Option<string?>("--key") { Description = "Key for trace lines without one (default index.html)." };
        var system = new Option<string>("--system") { Description = "Label of the system under test in the result.", DefaultValueFactory = _ => "live" };
        var output = new Option<string?>("--output") { Description = "Write the result (same format as simulate --output) to FILE." };
        var requests = new Option<string?>("--requests") { Description = "Write every request (time, key, layer, latency) as CSV to FILE." };
        var timeout = new Option<double>("--timeout-s") { Description = "Per-request timeout in seconds.", DefaultValueFactory = _ => 30 };
        var command = new Command("replay", "Send a trace's GETs live to a gateway (progress bar), record Content-Origin and latency.")
        {
            target, trace, speed, key, system, output, requests, timeout,
        };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, async writer =>
        {
            if (!Uri.TryCreate(parseResult.GetValue(target), UriKind.Absolute, out var baseUri) || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
            {
                throw new CliError($"--target '{parseResult.GetValue(target)}' is not an http(s) URL.");
            }

            double k = parseResult.GetValue(speed);
            if (!(k > 0) || !double.IsFinite(k))
            {
                throw new CliError("--speed must be a positive number.");
            }

            double seconds = parseResult.GetValue(timeout);
            if (!(seconds > 0))
            {
                throw new CliError("--timeout-s must be positive.");
            }

            var t = TraceLoader.Load(parseResult.GetValue(trace)!, parseResult.GetValue(key));
            var replayer = new TraceReplayer(baseUri, TimeSpan.FromSeconds(seconds));
            var run = await replayer.RunAsync(t, k, writer, cancellationToken);
            if (run.Rows.Count > 0 && run.Failures == run.Rows.Count)
            {
                throw new CliError($"no request succeeded against {baseUri} ({run.FirstFailure}).");
            }

            var document = ToDocument(t, run, parseResult.GetValue(system)!);
            if (parseResult.GetValue(output) is { } json)
            {
                ResultFiles.Save(document, json);
            }

            if (parseResult.GetValue(requests) is { } csv)
            {
                ResultFiles.WriteRequestsCsv(document.RequestRows!, csv);
            }

            SummaryPrinter.Print(document, writer);
            if (run.Failures > 0)
            {
                await writer.WriteLineAsync($"failed requests  {run.Failures} (first: {run.FirstFailure})");
            }

            return run.Failures > 0 ? 2 : 0;
        }));
        return command;
    }

    public static ResultDocument ToDocument(Domain.Traces.Trace trace, ReplayRun run, string system)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(run);
        var ok = run.Rows.Where(r => r.Layer != ReplayRun.FailedLayer).ToList();
        long s3 = ok.Count(r => r.Layer == "s3");
        var prices = PriceTable.ThesisFrankfurt;
        return new ResultDocument
        {
            Source = "replay",
            Trace = trace.Name,
            System = system,
            Policy = "live",
            PriceTable = prices.Name,
            DurationSeconds = trace.Duration.TotalSeconds,
            Requests = ok.Count,
            InMemory = ok.Count - s3,
            HitPercent = ok.Count == 0 ? 0 : 100.0 * (ok.Count - s3) / ok.Count,
            MeanLatencyMs = ok.Count == 0 ? 0 : ok.Average(r => r.LatencyMs),
            // client-side only the S3 share is known; the orchestrator meters the rest
            TotalCostUsd = s3 * prices.S3GetPerRequest,
            CostByLayerUsd = new Dictionary<string, decimal> { ["s3"] = s3 * prices.S3GetPerRequest },
            S3Gets = s3,
            RequestRows = [.. run.Rows],
        };
    }
}
