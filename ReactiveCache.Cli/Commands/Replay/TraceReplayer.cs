using System.Diagnostics;
using ReactiveCache.Cli.Results;
using ReactiveCache.Domain.Policy;
using Spectre.Console;
using ReactiveCache.Core.Routing;
using ReactiveCache.Domain;

namespace ReactiveCache.Cli.Commands.Replay;

/// <summary>
/// Fires each GET at its trace time (divided by the speed), without waiting for earlier answers so a slow answer does not
/// delay the next request (the thesis used a worker pool for the same reason); shows a progress bar.
/// </summary>
public sealed class TraceReplayer(Uri target, TimeSpan requestTimeout)
{
    private readonly Uri _base = new(target.ToString().TrimEnd('/') + "/");

    public async Task<ReplayRun> RunAsync(Domain.Traces.Trace trace, double speed, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trace);
        using var http = new HttpClient { Timeout = requestTimeout };
        var rows = new RequestRow[trace.Count];
        int failures = 0;
        string? firstFailure = null;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.Detect });
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"replay {trace.Name} ×{speed}", maxValue: Math.Max(1, trace.Count));
                var clock = Stopwatch.StartNew();
                var inFlight = new List<Task>(trace.Count);

                async Task SendAndRecordAsync(int index, double offset, string key)
                {
                    var (row, error) = await SendAsync(http, offset, key, cancellationToken);
                    rows[index] = row;
                    if (error is not null)
                    {
                        Interlocked.Increment(ref failures);
                        Interlocked.CompareExchange(ref firstFailure, error, null);
                    }

                    task.Increment(1);
                }

                for (int i = 0; i < trace.Count; i++)
                {
                    var request = trace.Requests[i];
                    var due = TimeSpan.FromSeconds(request.OffsetSeconds / speed);
                    var wait = due - clock.Elapsed;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, cancellationToken);
                    }

                    // started here, not queued: the GET leaves at its time even when the thread pool is busy
                    inFlight.Add(SendAndRecordAsync(i, request.OffsetSeconds, request.Key));
                }

                await Task.WhenAll(inFlight);
            });
        return new ReplayRun(rows, failures, firstFailure);
    }

    private async Task<(RequestRow Row, string? Error)> SendAsync(HttpClient http, double offset, string key, CancellationToken cancellationToken)
    {
        var uri = new Uri(_base, "objects/" + string.Join('/', key.Split('/').Select(Uri.EscapeDataString)));
        var sw = Stopwatch.StartNew();
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseContentRead, cancellationToken);
            sw.Stop();
            double ms = sw.Elapsed.TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                return (new RequestRow(offset, key, ReplayRun.FailedLayer, ms), $"{(int)response.StatusCode} for {key}");
            }

            string origin = response.Headers.TryGetValues("Content-Origin", out var values) ? values.FirstOrDefault() ?? string.Empty : string.Empty;
            string layer = CacheLayerNames.TryParse(origin, out var parsed) ? parsed.ToName() : (origin.Length == 0 ? "unknown" : origin.ToLowerInvariant());
            return (new RequestRow(offset, key, layer, ms), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            sw.Stop();
            return (new RequestRow(offset, key, ReplayRun.FailedLayer, sw.Elapsed.TotalMilliseconds), ex.Message);
        }
    }
}
