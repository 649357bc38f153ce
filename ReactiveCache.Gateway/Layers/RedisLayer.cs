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
/// Serves objects held by the cache node (layout: <see cref="CacheEntryLayout"/>, one value per object).
/// A plain GET of an object up to one chunk is ONE command (GETRANGE of header and body); other requests
/// read the header, then the body range. Bodies longer than a chunk are streamed chunk by chunk, a few
/// chunks requested ahead. A miss, an error or a timeout before the first byte falls through: the reads before
/// the response starts wait <see cref="CacheNodeOptions.CommandTimeoutMs"/>, those after it the connection's far
/// longer <see cref="CacheNodeOptions.StreamTimeoutMs"/> (giving up then would cut the client's body short).
/// <para>Never two versions in one answer: every body read after the one that read the header is followed, on the same
/// connection (so on the node too), by a read of the header again, which must be the header the answer's headers came
/// from. An entry replaced or removed meanwhile makes the request fall back (before the first byte) or aborts the
/// client's connection (after it): never a short or mixed <c>200</c>.</para>
/// <para>A node that fails after the first byte (killed, unreachable, its entry replaced) does not cut the body short:
/// the rest is read from the store of record at the offset reached, with <c>If-Match</c> on the entry's ETag, so the
/// bytes are those of the same version. Only when the store has another version by then (or fails too) is the
/// client's connection aborted.</para>
/// </summary>
public sealed class RedisLayer(CacheNodeConnection node, LayerCircuitBreakers breakers, IOptions<CacheNodeOptions> options, GatewayTelemetry telemetry,
    OriginLayer origin, ILogger<RedisLayer> logger)
{
    private readonly int _chunk = options.Value.ChunkBytes;
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
            var entryKey = known.EntryKey;
            // Plain GET: header and the first chunk of the body at once; otherwise the header alone.
            var firstTo = CacheEntryLayout.MaxHeaderBytes - 1 + (request.IsPlainGet ? _chunk : 0);
            ReadOnlyMemory<byte> first;
            Task<RedisValue>? firstRead = null;
            try
            {
                firstRead = lease.Database.StringGetRangeAsync(entryKey, 0, firstTo);
                first = (ReadOnlyMemory<byte>)await BeforeFirstByte(firstRead, cancellationToken);
            }
            catch (Exception e) when (ObserveIfLeftBehind(e, firstRead))
            {
                throw; // never: the filter only observes
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                breakers.ReportFailure(CacheLayer.Redis);
                return LayerOutcome.Failed;
            }

            breakers.ReportSuccess(CacheLayer.Redis);

            if (first.IsEmpty)
            {
                return LayerOutcome.Miss;
            }

            if (!_headers.TryReadHeader(ref known, first.Span, out var metadata, out var headerLength))
            {
                // Not an entry of this layout (written by something else): not ours to serve.
                return LayerOutcome.Miss;
            }

            var plan = ResponsePlan.For(request.Conditions, metadata);
            var bodyRange = request.IsHead ? null : plan.BodyRange(metadata);
            var head = ReadOnlyMemory<byte>.Empty;
            if (bodyRange is { } range)
            {
                long expected;
                var available = first.Length - headerLength;
                if (range.From == 0 && available > 0)
                {
                    head = first.Slice(headerLength, (int)Math.Min(available, range.Length));
                    expected = Math.Min(range.Length, firstTo + 1 - headerLength);
                }
                else
                {
                    var to = Math.Min(range.To, range.From + _chunk - 1);
                    expected = to - range.From + 1;
                    Task<RedisValue>? read = null;
                    try
                    {
                        read = lease.Database.StringGetRangeAsync(entryKey, headerLength + range.From, headerLength + to);
                        var version = ReadVersion(lease.Database, entryKey, headerLength);
                        Observe(version);
                        head = (ReadOnlyMemory<byte>)await BeforeFirstByte(read, cancellationToken);
                        if (!SameVersion(await BeforeFirstByte(version, cancellationToken), first[..headerLength]))
                        {
                            // Replaced (or removed) between the header and the body: the next layer answers.
                            return LayerOutcome.Miss;
                        }
                    }
                    catch (Exception e) when (ObserveIfLeftBehind(e, read))
                    {
                        throw; // never: the filter only observes (the version read is observed already)
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        breakers.ReportFailure(CacheLayer.Redis);
                        return LayerOutcome.Failed;
                    }
                }

                if (head.Length != expected)
                {
                    // Fewer bytes than the header promises: the entry is being replaced or is damaged.
                    return LayerOutcome.Miss;
                }
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
                // After the first byte there is no falling back: a node failure here continues the body from the store.
                var progress = new StreamProgress { Next = body.From + head.Length };
                try
                {
                    await StreamRestAsync(context, lease.Database, entryKey, first[..headerLength], progress, body.To, request.Key, cancellationToken);
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
    }

    /// <summary>The next body offset to send, as a stream advances (read by the caller when the stream fails).</summary>
    private sealed class StreamProgress
    {
        public long Next { get; set; }
    }

    /// <summary>
    /// A read made before the response starts, given up (<see cref="TimeoutException"/>) after
    /// <see cref="CacheNodeOptions.CommandTimeoutMs"/> so that the request falls back; the read itself ends
    /// later, by the connection's timeout at the latest, and the caller observes its fault (<see cref="ObserveIfLeftBehind"/>).
    /// Not an async method of its own: that would cost a state machine per read.
    /// </summary>
    private Task<RedisValue> BeforeFirstByte(Task<RedisValue> read, CancellationToken cancellationToken) =>
        read.WaitAsync(_firstByteTimeout, cancellationToken);

    /// <summary>
    /// An exception filter: when waiting for <paramref name="read"/> was given up (timeout or cancellation) before it
    /// ended, its fault is observed. Always <c>false</c>, so the exception goes on to the next handler.
    /// </summary>
    private static bool ObserveIfLeftBehind(Exception e, Task? read)
    {
        if (e is TimeoutException or OperationCanceledException && read is { IsCompleted: false })
        {
            Observe(read);
        }

        return false;
    }

    /// <summary>A read left behind: its fault, if it has one, is observed (not reported as unobserved).</summary>
    private static void Observe(Task read) =>
        _ = read.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>The entry's header read again: its version now (sent after a body read, it is checked after it on the node).</summary>
    private static Task<RedisValue> ReadVersion(IDatabase db, RedisKey entryKey, int headerLength) =>
        db.StringGetRangeAsync(entryKey, 0, headerLength - 1);

    /// <summary>Whether the header read again is byte for byte the one the answer's headers came from.</summary>
    private static bool SameVersion(RedisValue header, ReadOnlyMemory<byte> expected) =>
        ((ReadOnlyMemory<byte>)header).Span.SequenceEqual(expected.Span);

    /// <summary>
    /// Sends body bytes [from, to] chunk by chunk: one read always in flight, and up to <see cref="CacheNodeOptions.ReadAheadChunks"/>
    /// while the shared read-ahead budget has chunks to spare (each returned once its chunk is sent). Each chunk is sent only
    /// once the header read after it is still <paramref name="header"/> (the version check).
    /// </summary>
    private async Task StreamRestAsync(HttpContext context, IDatabase db, RedisKey entryKey, ReadOnlyMemory<byte> header, StreamProgress progress, long to,
        string key, CancellationToken cancellationToken)
    {
        var headerLength = header.Length;
        var pending = new Queue<(Task<RedisValue> Read, Task<RedisValue> Version, long Length, bool Spare)>(_readAhead);
        var next = progress.Next;
        try
        {
            while (next <= to || pending.Count > 0)
            {
                while (pending.Count < _readAhead && next <= to)
                {
                    var spare = pending.Count > 0;
                    if (spare && !_budget.TryTake())
                    {
                        break;
                    }

                    var end = Math.Min(to, next + _chunk - 1);
                    pending.Enqueue((db.StringGetRangeAsync(entryKey, headerLength + next, headerLength + end), ReadVersion(db, entryKey, headerLength),
                        end - next + 1, spare));
                    next = end + 1;
                }

                var (read, version, length, taken) = pending.Dequeue();
                try
                {
                    var chunk = (ReadOnlyMemory<byte>)await read;
                    if (chunk.Length != length || !SameVersion(await version, header))
                    {
                        throw new InvalidOperationException($"The cache node's copy of '{key}' changed while it was being sent.");
                    }

                    await context.Response.BodyWriter.WriteAsync(chunk, cancellationToken);
                    progress.Next += chunk.Length;
                }
                finally
                {
                    _budget.Return(taken);
                }
            }
        }
        finally
        {
            foreach (var (read, version, _, taken) in pending)
            {
                // Reads left behind by a failure: observe them so that their faults are not reported as unobserved.
                Observe(read);
                Observe(version);
                _budget.Return(taken);
            }
        }
    }
}
