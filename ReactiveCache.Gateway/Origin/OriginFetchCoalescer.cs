using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Objects;
using ReactiveCache.Gateway.Limits;
using ReactiveCache.Gateway.Telemetry;

namespace ReactiveCache.Gateway.Origin;

/// <summary>
/// Stampede protection: concurrent misses on one key share ONE fetch from the store of record. The first
/// request fetches; the others wait for it. Objects up to <see cref="OriginOptions.CoalesceMaxBytes"/> are
/// read into memory once and answered to all; a larger one stays a stream for the request that opened it
/// and every other request streams its own (never holding a large object whole). A shared body counts
/// against the <see cref="HeldBodyBudget"/>; when the budget is used up the object is streamed as a large one.
/// The fetch runs under the <see cref="OriginGuard"/> (deadline, concurrency limit); when it fails, every
/// request that joined it fails with the same error, and the next request starts a fresh fetch.
/// </summary>
public sealed class OriginFetchCoalescer(IObjectStore store, OriginGuard guard, HeldBodyBudget budget, IOptions<OriginOptions> options, GatewayTelemetry telemetry)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<OriginFetch>> _inFlight = new(StringComparer.Ordinal);
    private readonly int _maxBytes = options.Value.CoalesceMaxBytes;

    /// <summary>Keys with a fetch in flight now (diagnostics and tests).</summary>
    public int InFlightCount => _inFlight.Count;

    public async Task<OriginFetch> FetchAsync(string key, CancellationToken cancellationToken)
    {
        while (true)
        {
            var mine = new TaskCompletionSource<OriginFetch>(TaskCreationOptions.RunContinuationsAsynchronously);
            var shared = _inFlight.GetOrAdd(key, mine);
            if (!ReferenceEquals(shared, mine))
            {
                telemetry.FetchCoalesced();
                try
                {
                    return (await shared.Task.WaitAsync(cancellationToken)).ForFollower();
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The fetching request went away before it finished: fetch again (maybe as the leader).
                    continue;
                }
            }

            try
            {
                var result = await guard.RunAsync(static (s, ct) => s.self.FetchCoreAsync(s.key, ct), (self: this, key), cancellationToken);
                _inFlight.TryRemove(new KeyValuePair<string, TaskCompletionSource<OriginFetch>>(key, mine));
                mine.TrySetResult(result);
                return result;
            }
            catch (OperationCanceledException)
            {
                _inFlight.TryRemove(new KeyValuePair<string, TaskCompletionSource<OriginFetch>>(key, mine));
                mine.TrySetCanceled();
                throw;
            }
            catch (Exception e)
            {
                _inFlight.TryRemove(new KeyValuePair<string, TaskCompletionSource<OriginFetch>>(key, mine));
                mine.TrySetException(e);
                throw;
            }
        }
    }

    private async ValueTask<OriginFetch> FetchCoreAsync(string key, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(key, cancellationToken: cancellationToken);
        if (stored is null)
        {
            return OriginFetch.NotFound;
        }

        var length = stored.Metadata.Length;
        if (length > _maxBytes || !budget.TryReserve(length))
        {
            return OriginFetch.Large(stored.Metadata, stored);
        }

        await using (stored)
        {
            try
            {
                var content = new byte[length];
                await stored.Body.ReadExactlyAsync(content, cancellationToken);
                return OriginFetch.Small(stored.Metadata, content, budget);
            }
            catch
            {
                budget.Release(length);
                throw;
            }
        }
    }
}
