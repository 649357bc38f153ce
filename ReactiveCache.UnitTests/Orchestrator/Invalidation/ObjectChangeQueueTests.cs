using ReactiveCache.Core.Objects;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Orchestrator.Engine;
using ReactiveCache.Orchestrator.Invalidation;
using ReactiveCache.Orchestrator.Telemetry;
using ReactiveCache.UnitTests.Orchestrator.Engine;

namespace ReactiveCache.UnitTests.Orchestrator.Invalidation;

/// <summary>
/// The folder feed's queue is bounded: a change that finds it full is dropped and counted, and since the lost key is
/// unknown, every cached copy is invalidated instead (never a stale copy left in service).
/// </summary>
public sealed class ObjectChangeQueueTests
{
    [Fact]
    public async Task A_full_queue_drops_and_counts_the_change_and_its_next_batch_says_so()
    {
        using var counted = new CounterTotal(OrchestratorTelemetry.Meter, "reactivecache.orchestrator.invalidation.dropped");
        var queue = new ObjectChangeQueue(capacity: 2);

        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            queue.Write(new ObjectChange(key, Removed: false));
        }

        Assert.Equal(2, queue.DroppedCount);
        Assert.True(counted.Total >= 2, "the drops are counted in the metric");
        var batch = await queue.ReadBatchAsync(TimeSpan.Zero, TimeProvider.System, CancellationToken.None);
        Assert.True(batch.Overflowed);
        Assert.Equal(["a", "b"], batch.Changes.Select(c => c.Key).Order());

        queue.Write(new ObjectChange("e", Removed: true));
        var next = await queue.ReadBatchAsync(TimeSpan.Zero, TimeProvider.System, CancellationToken.None);
        Assert.False(next.Overflowed);
        Assert.Equal([new ObjectChange("e", Removed: true)], next.Changes);
    }

    [Fact]
    public async Task Events_the_watcher_lost_are_a_drop_that_wakes_the_reader_even_with_nothing_else_queued()
    {
        var queue = new ObjectChangeQueue(capacity: 8);
        var read = queue.ReadBatchAsync(TimeSpan.Zero, TimeProvider.System, CancellationToken.None);

        queue.Lost();

        var batch = await read.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(batch.Overflowed);
        Assert.Empty(batch.Changes);
        Assert.Equal(1, queue.DroppedCount);
    }

    [Fact]
    public async Task After_a_drop_every_cached_key_is_invalidated_on_every_layer()
    {
        var policy = new ScriptedPolicy(_ => []);
        await using var rig = new EngineRig(policy, new FailingObjectStore(() => new IOException()));
        await rig.StartAsync();
        rig.Gateways.SetRoute("on-function", CacheLayer.Lambda);
        rig.Gateways.SetRoute("on-node", CacheLayer.Redis);
        var queue = new ObjectChangeQueue(capacity: 1);
        queue.Write(new ObjectChange("unrelated", Removed: false));
        queue.Write(new ObjectChange("lost", Removed: false)); // dropped: which key changed is unknown

        rig.Invalidator.Apply(await queue.ReadBatchAsync(TimeSpan.Zero, TimeProvider.System, CancellationToken.None));

        Assert.Empty(rig.Gateways.Routes.Routes);
        await Eventually.HoldsAsync(() => new[] { "on-function", "on-node" }.All(key =>
                policy.Heard.Any(e => e is { Kind: PolicyEventKind.ObjectChanged } && e.Key == key)),
            TimeSpan.FromSeconds(10), "the policy heard both keys changed", () => string.Join(", ", policy.Heard.Select(e => $"{e.Kind} {e.Key}")));
    }
}
