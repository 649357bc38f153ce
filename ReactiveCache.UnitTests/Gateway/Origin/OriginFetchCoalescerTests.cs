using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polly.RateLimiting;
using Polly.Timeout;
using ReactiveCache.Core.Objects;
using ReactiveCache.Gateway.Limits;
using ReactiveCache.Gateway.Origin;
using ReactiveCache.Gateway.Telemetry;

namespace ReactiveCache.UnitTests.Gateway.Origin;

/// <summary>
/// The shared origin fetch when S3 fails: every request that joined gets the same failure, the next request
/// fetches afresh, a hanging S3 ends at the deadline, and fetches past the concurrency limit and queue are refused.
/// </summary>
public sealed class OriginFetchCoalescerTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _services.Dispose();

    private OriginFetchCoalescer Coalescer(IObjectStore store, OriginOptions? options = null, HeldBodyBudget? budget = null)
    {
        var o = Options.Create(options ?? new OriginOptions { DeadlineMs = 1_000 });
        return new OriginFetchCoalescer(store, new OriginGuard(o, _time), budget ?? new HeldBodyBudget(long.MaxValue), o,
            new GatewayTelemetry(_services.GetRequiredService<IMeterFactory>()));
    }

    [Fact]
    public async Task A_failed_shared_fetch_fails_every_waiter_alike_and_the_next_request_fetches_again()
    {
        var store = new ScriptedStore();
        var coalescer = Coalescer(store);

        var leader = coalescer.FetchAsync("k", CancellationToken.None);
        await store.Entered.Task;
        var followers = Enumerable.Range(0, 5).Select(_ => coalescer.FetchAsync("k", CancellationToken.None)).ToArray();
        var failure = new ObjectStoreException(ObjectStoreFailure.Unavailable, "S3 answered 500");
        store.Release.SetException(failure);

        foreach (var waiter in followers.Prepend(leader))
        {
            Assert.Same(failure, await Assert.ThrowsAsync<ObjectStoreException>(() => waiter));
        }

        Assert.Equal(1, store.Gets);
        Assert.Equal(0, coalescer.InFlightCount);

        store.Reset(succeed: true);
        await using var next = await coalescer.FetchAsync("k", CancellationToken.None);
        Assert.Equal(2, store.Gets);
        Assert.Equal(ScriptedStore.Content, next.Buffered);
    }

    [Fact]
    public async Task A_hanging_store_ends_at_the_deadline_for_every_waiter()
    {
        var store = new ScriptedStore();
        var coalescer = Coalescer(store, new OriginOptions { DeadlineMs = 2_000 });

        var leader = coalescer.FetchAsync("k", CancellationToken.None);
        await store.Entered.Task;
        var follower = coalescer.FetchAsync("k", CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(1_999));
        Assert.False(leader.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        // (A real-time safety net, so that a fetch without a deadline fails the test instead of hanging it.)
        var timeout = await Assert.ThrowsAsync<TimeoutRejectedException>(() => leader.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Same(timeout, await Assert.ThrowsAsync<TimeoutRejectedException>(() => follower.WaitAsync(TimeSpan.FromSeconds(10))));
        Assert.Equal(0, coalescer.InFlightCount);
    }

    [Fact]
    public async Task Fetches_past_the_limit_and_the_queue_are_refused_at_once()
    {
        var store = new ScriptedStore();
        var coalescer = Coalescer(store, new OriginOptions { DeadlineMs = 5_000, MaxConcurrentFetches = 1, FetchQueueLimit = 1 });

        var running = coalescer.FetchAsync("a", CancellationToken.None);
        await store.Entered.Task;
        var queued = coalescer.FetchAsync("b", CancellationToken.None);
        await Assert.ThrowsAsync<RateLimiterRejectedException>(() => coalescer.FetchAsync("c", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        store.Release.SetResult();
        await using (await running)
        {
        }

        await using (await queued)
        {
        }

        Assert.Equal(2, store.Gets);
    }

    [Fact]
    public async Task A_shared_body_counts_against_the_budget_until_every_waiter_is_done_and_streams_when_it_does_not_fit()
    {
        var budget = new HeldBodyBudget(ScriptedStore.Content.Length);
        var store = new ScriptedStore();
        var coalescer = Coalescer(store, budget: budget);

        var leader = coalescer.FetchAsync("k", CancellationToken.None);
        await store.Entered.Task;
        var follower = coalescer.FetchAsync("k", CancellationToken.None);
        store.Release.SetResult();
        var first = await leader;
        var second = await follower;
        Assert.Equal(ScriptedStore.Content, second.Buffered);
        Assert.Equal(ScriptedStore.Content.Length, budget.Held);

        // The budget is used up: another key's object is streamed instead of held.
        store.Reset(succeed: true);
        await using (var streamed = await coalescer.FetchAsync("other", CancellationToken.None))
        {
            Assert.Null(streamed.Buffered);
            Assert.NotNull(streamed.Stream);
        }

        await first.DisposeAsync();
        Assert.Equal(ScriptedStore.Content.Length, budget.Held);
        await second.DisposeAsync();
        Assert.Equal(0, budget.Held);
    }

    /// <summary>A store whose GETs wait for <see cref="Release"/> (or fail with what it is set to).</summary>
    private sealed class ScriptedStore : IObjectStore
    {
        public static readonly byte[] Content = [1, 2, 3, 4, 5, 6, 7, 8];

        private int _gets;

        public int Gets => Volatile.Read(ref _gets);

        public TaskCompletionSource Entered { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Reset(bool succeed)
        {
            Entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
            Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
            if (succeed)
            {
                Release.SetResult();
            }
        }

        public Task<ObjectMetadata?> GetMetadataAsync(string key, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async Task<StoredObject?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _gets);
            Entered.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            var metadata = new ObjectMetadata(key, Content.Length, "\"e\"", "application/octet-stream", DateTimeOffset.UnixEpoch);
            return new StoredObject(metadata, new MemoryStream(Content), range);
        }
    }
}
