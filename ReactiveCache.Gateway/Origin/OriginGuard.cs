using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Polly;
using Polly.RateLimiting;
using Polly.Timeout;

namespace ReactiveCache.Gateway.Origin;

/// <summary>
/// Bounds every request to the store of record: a deadline (<see cref="OriginOptions.DeadlineMs"/>, the wait
/// for a slot included) and a limit on fetches at once (<see cref="OriginOptions.MaxConcurrentFetches"/>, with
/// a bounded queue), so that a slow or hanging S3 costs each client at most the deadline and never piles up
/// unbounded work. A Polly pipeline: timeout outside, concurrency limiter inside. It throws
/// <see cref="TimeoutRejectedException"/> past the deadline and <see cref="RateLimiterRejectedException"/>
/// when the queue is full; <see cref="Objects.Problems.ForOriginFailure"/> turns those into 504 and 503.
/// </summary>
public sealed class OriginGuard : IAsyncDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly ResiliencePipeline _pipeline;

    public OriginGuard(IOptions<OriginOptions> options, TimeProvider time)
    {
        var o = options.Value;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = o.MaxConcurrentFetches,
            QueueLimit = o.FetchQueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(TimeSpan.FromMilliseconds(o.DeadlineMs))
            .AddRateLimiter(_limiter)
            .Build();
    }

    /// <summary>Fetches waiting for a slot now (diagnostics and tests).</summary>
    public long Queued => _limiter.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>
    /// Runs <paramref name="call"/> under the deadline and the limit. Whatever the call throws once its token is
    /// cancelled is told as the cancellation: an HTTP stack cancelled mid-request may throw an
    /// <see cref="IOException"/> or an SDK client error instead of an <see cref="OperationCanceledException"/>,
    /// and Polly only turns the latter into <see cref="TimeoutRejectedException"/>; a deadline must never read as S3 failing (a 502).
    /// </summary>
    public ValueTask<T> RunAsync<T, TState>(Func<TState, CancellationToken, ValueTask<T>> call, TState state, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(static async (s, token) =>
        {
            try
            {
                return await s.call(s.state, token);
            }
            catch (Exception e) when (e is not OperationCanceledException && token.IsCancellationRequested)
            {
                throw new OperationCanceledException("The call was cancelled (deadline or caller) and failed with: " + e.Message, e, token);
            }
        }, (call, state), cancellationToken);

    public ValueTask DisposeAsync() => _limiter.DisposeAsync();
}
