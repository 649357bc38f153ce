using System.Buffers;
using System.Diagnostics;
using System.Net;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// A closed-loop HTTP load generator: <c>connections</c> workers, each sending the next GET as soon as the
/// previous response has been read whole, over kept-alive HTTP/1.1 connections. The same generator drives
/// every target of a run.
/// </summary>
public sealed class LoadGenerator(int connections) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
    })
    { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Sends one GET and checks it answers 200 with <paramref name="expectedLength"/> bytes; returns its
    /// <paramref name="header"/> (the gateway's <c>Content-Origin</c> by default; "(none)" without one).
    /// </summary>
    public async Task<string> ProbeAsync(Uri url, long expectedLength, CancellationToken cancellationToken, string header = "Content-Origin")
    {
        using var response = await _client.GetAsync(url, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var origin = AnswerCheck.Read(response.Headers, header);
        if (response.StatusCode != HttpStatusCode.OK || body.Length != expectedLength)
        {
            var text = response.StatusCode == HttpStatusCode.OK ? "" : $": {System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 500)))}";
            throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode} from {origin} with {body.Length} bytes; expected 200 with {expectedLength}{text}");
        }

        return origin;
    }

    /// <summary>Warms up for <paramref name="warmup"/>, then measures <paramref name="url"/> for <paramref name="duration"/>.</summary>
    /// <param name="check">
    /// The header every answer must carry (null: not checked), e.g. the row's layer in <c>Content-Origin</c>. An
    /// answer without it, say from S3 after a fallback, counts as an error: it did not measure the path the row names.
    /// </param>
    /// <param name="sideCpu">The CPU time used so far by the other server process the run reports.</param>
    public async Task<LoadResult> RunAsync(Uri url, AnswerCheck? check, TimeSpan warmup, TimeSpan duration, Func<TimeSpan> sideCpu, CancellationToken cancellationToken)
    {
        IReadOnlyList<LoadTarget> targets = [new(url, check)];
        await RunWorkersAsync(targets, warmup, record: false, cancellationToken);
        using var self = Process.GetCurrentProcess();
        var processCpu = self.TotalProcessorTime;
        var sideCpuBefore = sideCpu();
        var allocated = GC.GetTotalAllocatedBytes();
        var started = Stopwatch.GetTimestamp();
        var samples = await RunWorkersAsync(targets, duration, record: true, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        allocated = GC.GetTotalAllocatedBytes() - allocated;
        self.Refresh();
        processCpu = self.TotalProcessorTime - processCpu;
        var sideCpuUsed = sideCpu() - sideCpuBefore;

        // An answer that failed the check did not measure the row's path: an error of the row.
        return new LoadResult(LatencyHistogram.Merge(samples.Select(s => s.Latencies)), samples.Sum(s => s.Errors + s.Others), elapsed, processCpu, sideCpuUsed,
            allocated);
    }

    /// <summary>
    /// Sends a mix for <paramref name="duration"/> (after <paramref name="warmup"/>): worker <c>i</c> asks for
    /// <paramref name="targets"/>[i mod n] over and over. Answers of status 200 that fail their target's check (another
    /// layer answered: a fallback) are counted apart from errors; latencies are those of the answers that passed.
    /// </summary>
    public async Task<MixResult> RunMixAsync(IReadOnlyList<LoadTarget> targets, TimeSpan warmup, TimeSpan duration, CancellationToken cancellationToken)
    {
        await RunWorkersAsync(targets, warmup, record: false, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var samples = await RunWorkersAsync(targets, duration, record: true, cancellationToken);
        return new MixResult(LatencyHistogram.Merge(samples.Select(s => s.Latencies)), samples.Sum(s => s.Others), samples.Sum(s => s.Errors),
            Stopwatch.GetElapsedTime(started));
    }

    private async Task<Sample[]> RunWorkersAsync(IReadOnlyList<LoadTarget> targets, TimeSpan duration, bool record, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);
        var workers = Enumerable.Range(0, connections)
            .Select(i => targets[i % targets.Count])
            .Select(target => Task.Run(() => WorkAsync(target.Url, target.Check, record, stop.Token), CancellationToken.None)).ToArray();
        var samples = await Task.WhenAll(workers);
        cancellationToken.ThrowIfCancellationRequested();
        return samples;
    }

    private async Task<Sample> WorkAsync(Uri url, AnswerCheck? check, bool record, CancellationToken stop)
    {
        var sample = new Sample();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, stop);
                    await using var body = await response.Content.ReadAsStreamAsync(stop);
                    while (await body.ReadAsync(buffer, stop) > 0)
                    {
                    }

                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        sample.Errors++;
                        continue;
                    }

                    if (check is not null && !check.Passes(response.Headers))
                    {
                        sample.Others++;
                        continue;
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e) when (e is HttpRequestException or IOException)
                {
                    // A refused connection, or a body cut short (HttpIOException is an IOException, not an
                    // HttpRequestException): an error of the row, never the end of the run.
                    sample.Errors++;
                    continue;
                }

                if (record)
                {
                    sample.Latencies.Record(Stopwatch.GetElapsedTime(started));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return sample;
    }

    public void Dispose() => _client.Dispose();

    /// <summary>A URL of a mix and what its answers must carry (null: not checked).</summary>
    public sealed record LoadTarget(Uri Url, AnswerCheck? Check);

    /// <param name="Latency">The answers that passed their check.</param>
    /// <param name="Others">Answers of status 200 that failed their check (for the gateway: a fallback).</param>
    /// <param name="Errors">Other statuses, refused connections, bodies cut short.</param>
    public sealed record MixResult(LatencyHistogram Latency, long Others, long Errors, TimeSpan Elapsed);

    private sealed class Sample
    {
        public LatencyHistogram Latencies { get; } = new();
        public long Errors { get; set; }

        /// <summary>Answers of status 200 that failed the check.</summary>
        public long Others { get; set; }
    }
}
