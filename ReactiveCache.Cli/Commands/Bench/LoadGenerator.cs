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
        await RunWorkersAsync(url, check, warmup, record: false, cancellationToken);
        using var self = Process.GetCurrentProcess();
        var processCpu = self.TotalProcessorTime;
        var sideCpuBefore = sideCpu();
        var allocated = GC.GetTotalAllocatedBytes();
        var started = Stopwatch.GetTimestamp();
        var samples = await RunWorkersAsync(url, check, duration, record: true, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        allocated = GC.GetTotalAllocatedBytes() - allocated;
        self.Refresh();
        processCpu = self.TotalProcessorTime - processCpu;
        var sideCpuUsed = sideCpu() - sideCpuBefore;

        return new LoadResult(LatencyHistogram.Merge(samples.Select(s => s.Latencies)), samples.Sum(s => s.Errors), elapsed, processCpu, sideCpuUsed, allocated);
    }

    private async Task<Sample[]> RunWorkersAsync(Uri url, AnswerCheck? check, TimeSpan duration, bool record, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(() => WorkAsync(url, check, record, stop.Token), CancellationToken.None)).ToArray();
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

                    if (response.StatusCode != HttpStatusCode.OK
                        || (check is not null && !check.Passes(response.Headers)))
                    {
                        sample.Errors++;
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

    private sealed class Sample
    {
        public LatencyHistogram Latencies { get; } = new();
        public long Errors { get; set; }
    }
}
