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

        var fetch = await coalescer.FetchAsync(request.Key, cancellationToken);
        await using var ownStream = fetch.Stream;
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
        await using var stored = await store.GetAsync(request.Key, plan.Kind == ResponseKind.Partial ? range : null, cancellationToken)
            ?? throw new InvalidOperationException($"'{request.Key}' disappeared from the store while it was being served.");
        await stored.Body.CopyToAsync(context.Response.Body, cancellationToken);
    }

    private static Task NotFoundAsync(HttpContext context, string key)
    {
        context.Response.Headers[ContentOrigin.HeaderName] = CacheLayer.S3.ToName();
        return Problems.NotFound(key).ExecuteAsync(context);
    }
}
