using ReactiveCache.Core.Http;
using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Routing;
using ReactiveCache.Gateway.Objects;
using ReactiveCache.Domain;

namespace ReactiveCache.Gateway.Origin;

/// <summary>
/// The last layer: the store of record (S3), which holds every object. It always answers: with the object,
/// 304/206/416 as the request asks, 404 for a key that does not exist.
/// </summary>
public sealed class OriginLayer(IObjectStore store, OriginFetchCoalescer coalescer)
{
    public async Task ServeAsync(HttpContext context, ObjectRequest request, CancellationToken cancellationToken)
    {
        if (request.IsHead)
        {
            var metadata = await store.GetMetadataAsync(request.Key, cancellationToken);
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
            await using var ownStream = fetch.Stream;
            if (fetch.Metadata is not { } meta)
            {
                await NotFoundAsync(context, request.Key);
                return;
            }

            var plan = ResponsePlan.For(request.Conditions, meta);
            var range = plan.BodyRange(meta);
            if (range is null || fetch.Buffered is not null || (ownStream is not null && plan.Kind == ResponseKind.Full))
            {
                await WriteAsync(context, meta, plan, fetch.Buffered, ownStream, cancellationToken);
                return;
            }

            await using var read = await store.GetIfAsync(request.Key, VersionCondition.Matching(meta.ETag),
                plan.Kind == ResponseKind.Partial ? range : null, cancellationToken);
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
            fetch = await store.GetAsync(request.Key, cancellationToken: cancellationToken) is { } current
                ? OriginFetch.Large(current.Metadata, current)
                : OriginFetch.NotFound;
        }
    }

    /// <summary>How many times a request reads a large object that keeps changing before it gives up (502).</summary>
    private const int MaxReads = 3;

    /// <summary>Status, headers and body: from <paramref name="buffered"/> (the whole object) or <paramref name="stream"/> (the bytes to send).</summary>
    private static async Task WriteAsync(HttpContext context, ObjectMetadata meta, ResponsePlan plan, byte[]? buffered, StoredObject? stream,
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

        await stream!.Body.CopyToAsync(context.Response.Body, cancellationToken);
    }

    private static Task NotFoundAsync(HttpContext context, string key)
    {
        context.Response.Headers[ContentOrigin.HeaderName] = CacheLayer.S3.ToName();
        return Problems.NotFound(key).ExecuteAsync(context);
    }
}
