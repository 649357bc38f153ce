using Microsoft.Extensions.Options;
using ReactiveCache.Core.Caching;
using ReactiveCache.Core.Http;
using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Routing;
using ReactiveCache.Gateway.CacheNode;
using ReactiveCache.Gateway.Objects;
using ReactiveCache.Gateway.Origin;
using ReactiveCache.Gateway.Telemetry;
using StackExchange.Redis;
using ReactiveCache.Domain;

namespace ReactiveCache.Gateway.Layers;

/// <summary>
/// Serves objects held by the cache node (layout: <see cref="CacheEntryLayout"/>, one hash per object, the body in
/// chunks). A plain GET first reads field <c>"0"</c> (header and first body bytes): for an object that fits there that is
/// ONE command; other requests (HEAD, conditional GETs, ranges) first read the header field alone, then the body's chunks
/// if the answer has one. Longer bodies are streamed chunk by chunk, a few chunks requested ahead. Every read goes into a
/// pooled buffer (a lease), returned once its bytes are written to the response: no garbage per chunk. A miss, an error
/// or a timeout before the first byte falls through: the reads before the response starts wait
/// <see cref="CacheNodeOptions.CommandTimeoutMs"/>, those after it the connection's far longer
/// <see cref="CacheNodeOptions.StreamTimeoutMs"/> (giving up then would cut the client's body short).
/// <para>Never two versions in one answer: a chunk is read by a field name holding the write id of the header the answer's
/// headers came from (<see cref="EntryShape.ChunkField"/>). An entry replaced or removed meanwhile has no such field any
/// more: the request falls back (before the first byte) or the body continues from the store (after it): never a short or
/// mixed <c>200</c>.</para>
/// <para>A node that fails after the first byte (killed, unreachable, its entry replaced) does not cut the body short:
/// the rest is read from the store of record at the offset reached, with <c>If-Match</c> on the entry's ETag, so the
/// bytes are those of the same version. Only when the store has another version by then (or fails too) is the
/// client's connection aborted.</para>
/// </summary>
public sealed class RedisLayer(CacheNodeConnection node, LayerCircuitBreakers breakers, IOptions<CacheNodeOptions> options, GatewayTelemetry telemetry,
    OriginLayer origin, ILogger<RedisLayer> logger)
{
    private readonly int _readAhead = options.Value.ReadAheadChunks;
    private readonly TimeSpan _firstByteTimeout = TimeSpan.FromMilliseconds(options.Value.CommandTimeoutMs);
    private readonly ReadAheadBudget _budget = new(options.Value.ReadAheadBudgetChunks, telemetry);
    private readonly EntryHeaderMemo _headers = new();

    public async Task<LayerOutcome> TryServeAsync(HttpContext context, ObjectRequest request, CancellationToken cancellationToken)
    {
        if (!breakers.Allows(CacheLayer.Redis) || !node.TryAcquire(out var lease))
        {
            return LayerOutcome.Unavailable;
        }

        using (lease)
        {
            var known = _headers.For(request.Key);
            Lease<byte>? first;
            Task<Lease<byte>?>? firstRead = null;
            try
            {
                // A plain GET: header and first body bytes at once; otherwise (HEAD, conditions, ranges) the header alone.
                firstRead = lease.Database.HashGetLeaseAsync(known.EntryKey, request.IsPlainGet ? CacheEntryLayout.FirstField : CacheEntryLayout.HeaderField);
                first = await BeforeFirstByte(firstRead, cancellationToken);
            }
            catch (Exception e) when (ReleaseIfLeftBehind(e, firstRead))
            {
                throw; // never: the filter only observes
            }
            catch (Exception e) when (CacheEntryLayout.IsNotAnEntry(e))
            {
                // Not an entry of this layout (written by something else): not ours to serve.
                breakers.ReportSuccess(CacheLayer.Redis);
                return LayerOutcome.Miss;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                breakers.ReportFailure(CacheLayer.Redis);
                return LayerOutcome.Failed;
            }

            breakers.ReportSuccess(CacheLayer.Redis);
            if (first is null)
            {
                return LayerOutcome.Miss;
            }

            return await ServeAsync(context, request, lease.Database, known, first, cancellationToken);
        }
    }

    /// <summary>
    /// Answers from the entry whose first read is <paramref name="first"/>: field <c>"0"</c> for a plain GET, the header
    /// field otherwise (disposed here, as soon as its bytes are written).
    /// </summary>
    private async Task<LayerOutcome> ServeAsync(HttpContext context, ObjectRequest request, IDatabase db, EntryHeaderMemo.Entry known, Lease<byte> first,
        CancellationToken cancellationToken)
    {
        Lease<byte>? held = first, other = null;
        try
        {
            if (!_headers.TryReadHeader(ref known, first.Span, out var metadata, out var shape)
                || first.Length != (request.IsPlainGet ? shape.FieldLength(0, metadata.Length) : shape.HeaderLength))
            {
                // Not an entry of this layout, or a damaged one: not ours to serve.
                return LayerOutcome.Miss;
            }

            var plan = ResponsePlan.For(request.Conditions, metadata);
            var bodyRange = request.IsHead ? null : plan.BodyRange(metadata);
            var head = ReadOnlyMemory<byte>.Empty;
            if (bodyRange is { } range)
            {
                // The answer's first bytes: from the first field read already (a plain GET), or from the chunk the range starts in.
                var n = shape.ChunkOf(range.From);
                var field = first;
                if (!request.IsPlainGet)
                {
                    Task<Lease<byte>?>? read = null;
                    try
                    {
                        read = db.HashGetLeaseAsync(known.EntryKey, shape.ChunkField(n));
                        other = await BeforeFirstByte(read, cancellationToken);
                    }
                    catch (Exception e) when (ReleaseIfLeftBehind(e, read))
                    {
                        throw; // never: the filter only observes
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        breakers.ReportFailure(CacheLayer.Redis);
                        return LayerOutcome.Failed;
                    }

                    // Replaced (or removed) since the header was read: the next layer answers. A chunk field's name holds the
                    // header's write id; field "0" is named for no version, so it must start with that header.
                    if (other is null || other.Length != shape.FieldLength(n, metadata.Length)
                        || (n == 0 && !other.Span.StartsWith(first.Span[..shape.HeaderLength])))
                    {
                        return LayerOutcome.Miss;
                    }

                    field = other;
                }

                head = BodySlice(field, shape, n, range.From, range.To);
            }

            ObjectResponses.WriteHead(context.Response, metadata, plan, CacheLayer.Redis, known.LastModified);
            if (plan.IsRefusal)
            {
                await ObjectResponses.WriteRefusalAsync(context, metadata, plan);
                return LayerOutcome.Served;
            }

            if (bodyRange is not { } body)
            {
                return LayerOutcome.Served;
            }

            await context.Response.BodyWriter.WriteAsync(head, cancellationToken);
            if (head.Length < body.Length)
            {
                // The bytes are in the response's buffers: the leases go back to the pool before the rest is read.
                held.Dispose();
                other?.Dispose();
                held = other = null;

                // After the first byte there is no falling back: a node failure here continues the body from the store.
                var progress = new StreamProgress { Next = body.From + head.Length };
                try
                {
                    await StreamRestAsync(context, db, known.EntryKey, shape, metadata.Length, progress, body.To, request.Key, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    breakers.ReportFailure(CacheLayer.Redis);
                    logger.LogWarning("The cache node failed while sending '{Key}' ({Reason}); the rest comes from the store of record", request.Key, e.Message);
                    await origin.FinishBodyAsync(context, request.Key, metadata.ETag, new ByteRange(progress.Next, body.To), cancellationToken);
                }
            }

            return LayerOutcome.Served;
        }
        finally
        {
            held?.Dispose();
            other?.Dispose();
        }
    }

    /// <summary>The body bytes [<paramref name="from"/>, <paramref name="to"/>] that chunk <paramref name="n"/>'s field holds (from its start on).</summary>
    private static ReadOnlyMemory<byte> BodySlice(Lease<byte> field, EntryShape shape, int n, long from, long to)
    {
        var start = shape.ChunkStart(n);
        var offset = shape.BodyOffsetInField(n);
        var last = Math.Min(to, start + (field.Length - offset) - 1);
        return field.Memory.Slice(offset + (int)(from - start), (int)(last - from + 1));
    }

    /// <summary>The next body offset to send, as a stream advances (read by the caller when the stream fails).</summary>
    private sealed class StreamProgress
    {
        public long Next { get; set; }
    }

    /// <summary>
    /// A read made before the response starts, given up (<see cref="TimeoutException"/>) after
    /// <see cref="CacheNodeOptions.CommandTimeoutMs"/> so that the request falls back; the read itself ends
    /// later, by the connection's timeout at the latest, and the caller releases it (<see cref="ReleaseIfLeftBehind"/>).
    /// Not an async method of its own: that would cost a state machine per read.
    /// </summary>
    private Task<Lease<byte>?> BeforeFirstByte(Task<Lease<byte>?> read, CancellationToken cancellationToken) =>
        read.WaitAsync(_firstByteTimeout, cancellationToken);

    /// <summary>
    /// An exception filter: when waiting for <paramref name="read"/> was given up (timeout or cancellation) before it
    /// ended, it is released when it ends. Always <c>false</c>, so the exception goes on to the next handler.
    /// </summary>
    private static bool ReleaseIfLeftBehind(Exception e, Task<Lease<byte>?>? read)
    {
        if (e is TimeoutException or OperationCanceledException && read is { IsCompleted: false })
        {
            Release(read);
        }

        return false;
    }

    /// <summary>A read left behind: its buffer goes back to the pool when it arrives, its fault (if any) is observed.</summary>
    private static void Release(Task<Lease<byte>?> read) =>
        _ = read.ContinueWith(static t =>
        {
            if (t.IsCompletedSuccessfully)
            {
                t.Result?.Dispose();
            }
            else
            {
                _ = t.Exception;
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>
    /// Sends body bytes from <c>progress.Next</c> to <paramref name="to"/> chunk by chunk: one read always in flight, and up
    /// to <see cref="CacheNodeOptions.ReadAheadChunks"/> while the shared read-ahead budget has chunks to spare (each
    /// returned once its chunk is sent). A chunk that is missing or of another length than the header says means the
    /// entry was replaced or removed: the stream fails (the caller finishes the body from the store).
    /// </summary>
    private async Task StreamRestAsync(HttpContext context, IDatabase db, RedisKey entryKey, EntryShape shape, long bodyLength, StreamProgress progress,
        long to, string key, CancellationToken cancellationToken)
    {
        var pending = new Queue<(Task<Lease<byte>?> Read, int Chunk, bool Spare)>(_readAhead);
        var next = shape.ChunkOf(progress.Next);
        var last = shape.ChunkOf(to);
        try
        {
            while (next <= last || pending.Count > 0)
            {
                while (pending.Count < _readAhead && next <= last)
                {
                    var spare = pending.Count > 0;
                    if (spare && !_budget.TryTake())
                    {
                        break;
                    }

                    pending.Enqueue((db.HashGetLeaseAsync(entryKey, shape.ChunkField(next)), next, spare));
                    next++;
                }

                var (read, n, taken) = pending.Dequeue();
                try
                {
                    using var chunk = await read;
                    if (chunk is null || chunk.Length != shape.FieldLength(n, bodyLength))
                    {
                        throw new InvalidOperationException($"The cache node's copy of '{key}' changed while it was being sent.");
                    }

                    var bytes = BodySlice(chunk, shape, n, progress.Next, to);
                    await context.Response.BodyWriter.WriteAsync(bytes, cancellationToken);
                    progress.Next += bytes.Length;
                }
                finally
                {
                    _budget.Return(taken);
                }
            }
        }
        finally
        {
            foreach (var (read, _, taken) in pending)
            {
                // Reads left behind by a failure: their buffers go back to the pool, their faults are observed.
                Release(read);
                _budget.Return(taken);
            }
        }
    }
}
