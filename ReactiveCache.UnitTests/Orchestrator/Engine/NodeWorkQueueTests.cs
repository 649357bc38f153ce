using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Orchestrator.Engine;
using ReactiveCache.Orchestrator.Telemetry;

namespace ReactiveCache.UnitTests.Orchestrator.Engine;

public sealed class NodeWorkQueueTests
{
    [Fact]
    public async Task Runs_in_order_and_counts_and_reports_a_failed_command()
    {
        var inbox = new PolicyInbox();
        var time = new FakeTimeProvider();
        var queue = new NodeWorkQueue(inbox, time, NullLogger<NodeWorkQueue>.Instance);
        var failures = new List<(long Value, string? Loop, string? Item)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // By meter and instrument name, not by reference: when this test is the first to touch
            // OrchestratorTelemetry, its static fields are still null while the counter is being published.
            if (instrument.Meter.Name == OrchestratorTelemetry.Name && instrument.Name == "reactivecache.orchestrator.loop.failures")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var t = tags.ToArray().ToDictionary(p => p.Key, p => p.Value as string);
            lock (failures)
            {
                failures.Add((value, t.GetValueOrDefault("loop"), t.GetValueOrDefault("item")));
            }
        });
        listener.Start();
        var ran = new List<string>();
        var done = new TaskCompletionSource();

        queue.Enqueue(PolicyCommandKind.StartNode, "", _ => Record("start"));
        queue.Enqueue(PolicyCommandKind.EvictObject, "a", _ => throw new InvalidOperationException("The node refused."));
        queue.Enqueue(PolicyCommandKind.DrainGateways, "", _ => Task.FromException(new TimeoutException("No gateway answered.")));
        queue.Enqueue(PolicyCommandKind.StopNode, "", async _ =>
        {
            await Record("stop");
            done.SetResult();
        });
        await queue.StartAsync(CancellationToken.None);
        await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await queue.StopAsync(CancellationToken.None);

        Assert.Equal(["start", "stop"], ran);
        Assert.True(inbox.TryRead(out var evict));
        Assert.Equal(PolicyEvent.NodeCommandFailed(PolicyCommandKind.EvictObject, "a", time.GetUtcNow()), evict);
        Assert.True(inbox.TryRead(out var drain));
        Assert.Equal(PolicyEvent.NodeCommandFailed(PolicyCommandKind.DrainGateways, "", time.GetUtcNow()), drain);
        Assert.False(inbox.TryRead(out _));
        lock (failures)
        {
            Assert.Contains((1L, "node", "EvictObject"), failures);
            Assert.Contains((1L, "node", "DrainGateways"), failures);
        }

        Task Record(string what)
        {
            ran.Add(what);
            return Task.CompletedTask;
        }
    }
}
