using Microsoft.Extensions.Options;
using ReactiveCache.Core.Caching;
using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Routing;
using ReactiveCache.Gateway.CacheNode;
using ReactiveCache.Gateway.Objects;
using StackExchange.Redis;

namespace ReactiveCache.Gateway.Layers;

/// <summary>
/// Serves objects held by the cache node (layout: <see cref="CacheEntryLayout"/>). A plain GET costs one
/// round trip (metadata and the first chunk pipelined); ranges are read with GETRANGE; bodies larger than
/// a chunk are streamed chunk by chunk. A miss, an error or a timeout before the first byte falls through.
/// </summary>
public sealed class RedisLayer(CacheNodeConnection node, LayerCircuitBreakers breakers, IOptions<CacheNodeOptions> options)
{
    private readonly int _chunk = options.Value.ChunkBytes;

    public async Task<LayerOutcome> TryServeAsync(HttpContext context, ObjectRequest request, CancellationToken cancellationToken)
    {
        if (!breakers.Allows(CacheLayer.Redis) || !node.TryAcquire(out var lease))
        {
            return LayerOutcome.Unavailable;
        }

        using (lease)
        {
            FirstRead first;
            try
            {
                first = await breakers.Redis.ExecuteAsync(
                    static (state, _) => new ValueTask<FirstRead>(state.self.ReadFirstAsync(state.db, state.request)),
                    (self: this, db: lease.Database, request), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return LayerOutcome.Failed;
            }

            if (first.Metadata is not { } metadata)
            {
                return LayerOutcome.Miss;
            }

            var plan = ResponsePlan.For(request, metadata);
            var bodyRange = request.IsHead ? null : plan.BodyRange(metadata);
            var head = first.Head;
            if (bodyRange is { } range && (head.IsEmpty || first.HeadFrom != range.From))
            {
                // Metadata came alone (conditional, ranged or HEAD request): now the first chunk of the range.
                try
                {
                    head = await breakers.Redis.ExecuteAsync(
                        static async (state, _) => (ReadOnlyMemory<byte>)await state.db.StringGetRangeAsync(
                            CacheEntryLayout.BodyKey(state.key), state.from, state.to),
                        (db: lease.Database, key: request.Key, from: range.From, to: Math.Min(range.To, range.From + _chunk - 1)),
                        cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    return LayerOutcome.Failed;
                }
            }

            if (bodyRange is { } expected && head.Length != Math.Min(expected.Length, _chunk))
            {
                // Body and metadata disagree (the object is being replaced or was evicted): not ours to serve.
                return LayerOutcome.Miss;
            }

            ObjectResponses.WriteHead(context.Response, metadata, plan, CacheLayer.Redis);
            if (plan.Kind == ResponseKind.RangeNotSatisfiable)
            {
                await ObjectResponses.WriteRangeNotSatisfiableAsync(context, metadata);
                return LayerOutcome.Served;
            }

            if (bodyRange is not { } body)
            {
                return LayerOutcome.Served;
            }

            await context.Response.BodyWriter.WriteAsync(head, cancellationToken);
            for (var from = body.From + head.Length; from <= body.To; from += _chunk)
            {
                // After the first byte there is no falling back: a failure here aborts the response.
                var to = Math.Min(body.To, from + _chunk - 1);
                var chunk = (ReadOnlyMemory<byte>)await lease.Database.StringGetRangeAsync(CacheEntryLayout.BodyKey(request.Key), from, to);
                if (chunk.Length != to - from + 1)
                {
                    throw new InvalidOperationException($"The cache node's copy of '{request.Key}' changed while it was being sent.");
                }

                await context.Response.BodyWriter.WriteAsync(chunk, cancellationToken);
            }

            return LayerOutcome.Served;
        }
    }

    private async Task<FirstRead> ReadFirstAsync(IDatabase db, ObjectRequest request)
    {
        var metadataTask = db.HashGetAsync(CacheEntryLayout.MetadataKey(request.Key), CacheEntryLayout.MetadataFields);
        if (!request.IsPlainGet)
        {
            return new FirstRead(CacheEntryLayout.ParseMetadata(request.Key, await metadataTask), default, -1);
        }

        // The hot path: metadata and the first chunk in one round trip (pipelined).
        var headTask = db.StringGetRangeAsync(CacheEntryLayout.BodyKey(request.Key), 0, _chunk - 1);
        var metadata = CacheEntryLayout.ParseMetadata(request.Key, await metadataTask);
        var head = (ReadOnlyMemory<byte>)await headTask;
        return new FirstRead(metadata, head, 0);
    }

    private readonly record struct FirstRead(ObjectMetadata? Metadata, ReadOnlyMemory<byte> Head, long HeadFrom);
}
