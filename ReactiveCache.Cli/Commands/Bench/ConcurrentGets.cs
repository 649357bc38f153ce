using System.Buffers;
using System.Diagnostics;
using System.Net;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// A bounded load: <c>concurrency</c> workers, each sending <c>perWorker</c> GETs one after the other over its
/// own kept-alive connection and reading every body whole into a small reused buffer. Unlike
/// <see cref="LoadGenerator"/> (a timed closed loop for throughput) it ends after a known number of requests,
/// for measurements of what the server holds while they run (<c>bench memory</c>; run in a process of its own
/// by <see cref="BenchLoadCommand"/>, so that the load's memory is not the server's).
/// </summary>
public static class ConcurrentGets
{
    /// <param name="Answers">Answers of status 200 that passed the check.</param>
    /// <param name="Others">Answers of status 200 that failed the check (for the gateway: served by another layer after a fallback).</param>
    /// <param name="Errors">Failed requests and other statuses.</param>
    /// <param name="Bytes">Body bytes read, of every answer.</param>
    public sealed record Result(long Answers, long Others, long Errors, long Bytes, TimeSpan Elapsed);

    public static async Task<Result> RunAsync(Uri url, int concurrency, int perWorker, AnswerCheck? check, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        })
        { Timeout = TimeSpan.FromMinutes(5) };

        long answers = 0, others = 0, errors = 0, bytes = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                for (var i = 0; i < perWorker; i++)
                {
                    try
                    {
                        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                        int read;
                        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                        {
                            Interlocked.Add(ref bytes, read);
                        }

                        if (response.StatusCode != HttpStatusCode.OK)
                        {
                            Interlocked.Increment(ref errors);
                        }
                        else if (check is null || check.Passes(response.Headers))
                        {
                            Interlocked.Increment(ref answers);
                        }
                        else
                        {
                            Interlocked.Increment(ref others);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        Interlocked.Increment(ref errors);
                    }
                    catch (IOException)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }, cancellationToken)));

        return new Result(answers, others, errors, bytes, Stopwatch.GetElapsedTime(started));
    }
}
