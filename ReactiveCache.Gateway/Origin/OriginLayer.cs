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
/// <see cref="OriginGuard"/>.
/// </summary>
public sealed partial class OriginLayer(IObjectStore store, OriginFetchCoalescer coalescer, OriginGuard guard, IOptions<OriginOptions> options, ILogger<OriginLayer> logger)
{
    private readonly int _retryAfterSeconds = options.Value.RetryAfterSeconds;

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

        await using var fetch = await coalescer.FetchAsync(request.Key, cancellationToken);
        var ownStream = fetch.Stream;
        if (fetch.Metadata is not { } meta)
        {
            await NotFoundAsync(context, request.Key);
            return;
        }

        var plan = ResponsePlan.For(request.Conditions, meta);
        ObjectResponses.WriteHead(context.Response, meta, plan, CacheLayer.S3);
        if (plan.Kind == ResponseKind.RangeNotSatisfiable)
        {
            await ObjectResponses.WriteRangeNotSatisfiableAsync(context, meta);
            return;
        }

        if (plan.BodyRange(meta) is not { } range)
        {
            return;
        }

        if (fetch.Buffered is { } content)
        {
            await context.Response.BodyWriter.WriteAsync(content.AsMemory((int)range.From, (int)range.Length), cancellationToken);
            return;
        }

        if (ownStream is not null && plan.Kind == ResponseKind.Full)
        {
            await ownStream.Body.CopyToAsync(context.Response.Body, cancellationToken);
            return;
        }

        // A large object this request did not open (or only a part of it): stream its own read.
        await using var stored = await guard.RunAsync(
                static (s, ct) => new ValueTask<StoredObject?>(s.store.GetAsync(s.Key, s.Item3, ct)),
                (store, request.Key, plan.Kind == ResponseKind.Partial ? range : (ByteRange?)null), cancellationToken)
            ?? throw new InvalidOperationException($"'{request.Key}' disappeared from the store while it was being served.");
        await stored.Body.CopyToAsync(context.Response.Body, cancellationToken);
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

    [LoggerMessage(LogLevel.Error, "The object store failed for '{Key}'")]
    private partial void LogOriginFailed(Exception exception, string key);

    private static Task NotFoundAsync(HttpContext context, string key)
    {
        context.Response.Headers[ContentOrigin.HeaderName] = CacheLayer.S3.ToName();
        return Problems.NotFound(key).ExecuteAsync(context);
    }
}
