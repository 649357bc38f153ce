using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Link;
using ReactiveCache.Gateway.Routing;
using ReactiveCache.Gateway.Telemetry;

namespace ReactiveCache.UnitTests.Gateway.Routing;

public sealed class RequestEventQueueTests
{
    [Fact]
    public void A_full_queue_drops_without_blocking_and_counts_the_drops()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var telemetry = new GatewayTelemetry(services.GetRequiredService<IMeterFactory>());
        using var droppedMetric = new CounterTotal(telemetry.Meter, "reactivecache.gateway.dropped_events");
        var queue = new RequestEventQueue(Options.Create(new OrchestratorLinkOptions { Address = "http://127.0.0.1:1", EventQueueCapacity = 16 }), telemetry);

        for (var i = 0; i < 40; i++)
        {
            queue.Enqueue(new RequestEvent { Key = $"k{i}" });
        }

        Assert.Equal(24, queue.DroppedTotal);
        Assert.Equal(24, droppedMetric.Total);
        Assert.Equal(24ul, queue.TakeDropped());
        Assert.Equal(0ul, queue.TakeDropped());
        var kept = 0;
        while (queue.Reader.TryRead(out _))
        {
            kept++;
        }

        Assert.Equal(16, kept);
    }

    [Fact]
    public void Without_an_orchestrator_nothing_is_queued()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var queue = new RequestEventQueue(Options.Create(new OrchestratorLinkOptions()), new GatewayTelemetry(services.GetRequiredService<IMeterFactory>()));

        queue.Enqueue(new RequestEvent { Key = "k" });

        Assert.False(queue.Enabled);
        Assert.False(queue.Reader.TryRead(out _));
    }
}
