using System.Buffers;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Http;
using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Routing;
using ReactiveCache.Gateway.Objects;
using ReactiveCache.Domain;

namespace ReactiveCache.Gateway.Origin;

/// <summary>
/// The last layer: the store of record (S3), which holds every object. It always answers: with the object,
/// 304/206/416 as the request asks, 404 for a key that does not exist, and when the store fails a
/// problem that says how (<see cref="WriteFailureAsync"/>). Every call to the store runs under the
/// <see cref="OriginGuard"/>, and a streamed body under an idle timeout (<see cref="OriginOptions.BodyIdleTimeoutMs"/>).
/// </summary>
public sealed partial class OriginLayer(
    IObjectStore store,
    OriginFetchCoalescer coalescer,
    OriginGuard guard,
    IOptions<OriginOptions> options,
    TimeProvider time,
    ILogger<OriginLayer> logger)
{
    private readonly int _retryAfterSeconds = options.Value.RetryAfterSeconds;
    private readonly TimeSpan _bodyIdleTimeout = TimeSpan.FromMilliseconds(options.Value.BodyIdleTimeoutMs);

    public async Task ServeAsync(HttpContext context, ObjectRequest request, CancellationToken cancellationToken)
    {
        if (request.IsHead)
        {
            var metadata = await guard.RunAsync(
                static (s, ct) => new ValueTask<ObjectMetadata?>(s.store.GetMetadataAsync(s.Key, ct)), (store, request.Key), cancellationToken);
            if (metadata is null)
            {
                await NotFoundAsync(context, request.Key);
                return;
            }

            ObjectResponses.WriteHead(context.Response, metadata, ResponsePlan.For(request.Conditions, metadata), CacheLayer.S3);
            return;
        }

        // A large object is read twice when this request did not open it (or wants a part of it): the second read asks
        // for the version whose headers this answer carries (If-Match). Should the object change in between, the
        // request starts over on a read of its own, so that headers and bytes are always of one version.
        var fetch = await coalescer.FetchAsync(request.Key, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            // Disposing the fetch closes its stream and hands a shared body's bytes back to the held-body budget.
            await using var current = fetch;
            var ownStream = current.Stream;
            if (current.Metadata is not { } meta)
            {
                await NotFoundAsync(context, request.Key);
                return;
            }

            var plan = ResponsePlan.For(request.Conditions, meta);
            var range = plan.BodyRange(meta);
            if (range is null || current.Buffered is not null || (ownStream is not null && plan.Kind == ResponseKind.Full))
            {
                await WriteAsync(context, meta, plan, current.Buffered, ownStream, cancellationToken);
                return;
            }

            await using var read = await ReadVersionAsync(request.Key, meta.ETag, plan.Kind == ResponseKind.Partial ? range : null, cancellationToken);
            if (read.Object is { } stored)
            {
                await WriteAsync(context, meta, plan, null, stored, cancellationToken);
                return;
            }

            if (attempt == MaxReads)
            {
                throw new InvalidOperationException($"'{request.Key}' kept changing while it was being served.");
            }

            // Changed (or removed) since the first read: start over on a read of the current version.
            fetch = await guard.RunAsync(
                    static (s, ct) => new ValueTask<StoredObject?>(s.store.GetAsync(s.Key, cancellationToken: ct)), (store, request.Key), cancellationToken) is { } latest
                ? OriginFetch.Large(latest.Metadata, latest)
                : OriginFetch.NotFound;
        }
    }

    /// <summary>
    /// Reads <paramref name="range"/> (or all) of <paramref name="key"/> only if the store still holds version
    /// <paramref name="etag"/> (<c>If-Match</c>), under the guard: how any layer finishes an answer whose headers are
    /// already of that version. No object in the result: the store holds another version, or none.
    /// </summary>
    private Task<ConditionalRead> ReadVersionAsync(string key, string etag, ByteRange? range, CancellationToken cancellationToken) =>
        guard.RunAsync(
            static (s, ct) => new ValueTask<ConditionalRead>(s.store.GetIfAsync(s.key, VersionCondition.Matching(s.etag), s.range, ct)),
            (store, key, etag, range), cancellationToken).AsTask();

    /// <summary>
    /// Sends <paramref name="rest"/> of version <paramref name="etag"/> from the store of record, for an answer another
    /// layer started and cannot finish (its headers are of that version). Another version there by now, or none, or a
    /// failing store: the body cannot be finished with the same bytes, so this throws and the caller's client connection
    /// is aborted (never a short or mixed <c>200</c>); a store that stalls aborts it too.
    /// </summary>
    public async Task FinishBodyAsync(HttpContext context, string key, string etag, ByteRange rest, CancellationToken cancellationToken)
    {
        await using var read = await ReadVersionAsync(key, etag, rest, cancellationToken);
        if (read.Object is not { } stored)
        {
            throw new InvalidOperationException($"'{key}' is no longer version {etag} in the store: its body cannot be finished.");
        }

        await CopyBodyAsync(context, key, stored.Body, cancellationToken);
    }

    /// <summary>How many times a request reads a large object that keeps changing before it gives up (502).</summary>
    private const int MaxReads = 3;

    /// <summary>Status, headers and body: from <paramref name="buffered"/> (the whole object) or <paramref name="stream"/> (the bytes to send).</summary>
    private async Task WriteAsync(HttpContext context, ObjectMetadata meta, ResponsePlan plan, byte[]? buffered, StoredObject? stream,
        CancellationToken cancellationToken)
    {
        ObjectResponses.WriteHead(context.Response, meta, plan, CacheLayer.S3);
        if (plan.IsRefusal)
        {
            await ObjectResponses.WriteRefusalAsync(context, meta, plan);
            return;
        }

        if (plan.BodyRange(meta) is not { } range)
        {
            return;
        }

        if (buffered is not null)
        {
            await context.Response.BodyWriter.WriteAsync(buffered.AsMemory((int)range.From, (int)range.Length), cancellationToken);
            return;
        }

        await CopyBodyAsync(context, meta.Key, stream!.Body, cancellationToken);
    }

    /// <summary>
    /// Copies a streamed body to the client, giving the store at most <see cref="_bodyIdleTimeout"/> for each read (the
    /// client's own pace is Kestrel's business, not counted). A store that stalls before the first byte went out is a
    /// timeout (the caller answers 504); after it, the client's connection is aborted, so that it never takes a short
    /// body for the object. The read is waited for with a bound rather than only cancelled, since a store's stream need
    /// not honour cancellation; an abandoned read ends when the caller disposes the stream. Hand-written:
    /// <see cref="Stream.CopyToAsync(Stream, CancellationToken)"/> has no idle bound.
    /// </summary>
    private async Task CopyBodyAsync(HttpContext context, string key, Stream body, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(81_920);
        Task<int>? pending = null;
        long sent = 0;
        try
        {
            while (true)
            {
                pending = body.ReadAsync(buffer, cancellationToken).AsTask();
                int read;
                try
                {
                    read = await pending.WaitAsync(_bodyIdleTimeout, time, cancellationToken);
                }
                catch (TimeoutException)
                {
                    if (!context.Response.HasStarted)
                    {
                        throw new ObjectStoreException(ObjectStoreFailure.Timeout,
                            $"The store of record stalled for {_bodyIdleTimeout.TotalMilliseconds:F0} ms before the body of '{key}'.");
                    }

                    LogBodyStalled(key, sent, _bodyIdleTimeout.TotalMilliseconds);
                    context.Abort();
                    return;
                }

                if (read == 0)
                {
                    return;
                }

                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                sent += read;
            }
        }
        finally
        {
            // A read given up on may still fill the buffer: it is then left to the collector, not returned to the pool.
            if (pending is null || pending.IsCompleted)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// Answers a request whose store call failed before any byte went out: 502 when S3 failed or refused us,
    /// 504 past the deadline, 503 with <c>Retry-After</c> when too many fetches wait (<see cref="Problems.ForOriginFailure"/>).
    /// </summary>
    public Task WriteFailureAsync(HttpContext context, string key, Exception failure)
    {
        // A failure S3 or the guard explained is logged in one line (an outage logs one per request); anything else with its stack.
        if (failure is ObjectStoreException or Polly.ExecutionRejectedException)
        {
            LogOriginRefused(key, failure.Message);
        }
        else
        {
            LogOriginFailed(failure, key);
        }

        context.Response.Clear();
        context.Response.Headers[ContentOrigin.HeaderName] = CacheLayer.S3.ToName();
        var problem = Problems.ForOriginFailure(key, failure);
        if (problem.StatusCode == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = _retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return problem.ExecuteAsync(context);
    }

    [LoggerMessage(LogLevel.Warning, "The object store failed for '{Key}': {Reason}")]
    private partial void LogOriginRefused(string key, string reason);

    [LoggerMessage(LogLevel.Warning, "The object store stalled on the body of '{Key}' after {Sent} bytes sent (no byte for {IdleMs} ms): the client's connection is aborted")]
    private partial void LogBodyStalled(string key, long sent, double idleMs);

    [LoggerMessage(LogLevel.Error, "The object store failed for '{Key}'")]
    private partial void LogOriginFailed(Exception exception, string key);

    private static Task NotFoundAsync(HttpContext context, string key)
    {
        context.Response.Headers[ContentOrigin.HeaderName] = CacheLayer.S3.ToName();
        return Problems.NotFound(key).ExecuteAsync(context);
    }
}
