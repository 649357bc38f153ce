using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using ReactiveCache.Gateway.CacheNode;
using ReactiveCache.Gateway.Telemetry;

namespace ReactiveCache.UnitTests.Gateway.CacheNode;

public sealed class ReadAheadBudgetTests
{
    [Fact]
    public void Chunks_are_taken_until_none_is_free_and_a_returned_one_can_be_taken_again_and_the_gauge_reports_them()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var budget = new ReadAheadBudget(3, new GatewayTelemetry(services.GetRequiredService<IMeterFactory>()));
        int? gauge = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == GatewayTelemetry.ReadAheadChunksName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => gauge = value);
        listener.Start();

        Assert.True(budget.TryTake());
        Assert.True(budget.TryTake());
        Assert.True(budget.TryTake());
        Assert.False(budget.TryTake());
        listener.RecordObservableInstruments();
        Assert.Equal(3, gauge);

        budget.Return(taken: false);
        Assert.False(budget.TryTake());
        budget.Return(taken: true);
        Assert.Equal(2, budget.InFlight);
        Assert.True(budget.TryTake());
        Assert.False(budget.TryTake());
    }

    [Fact]
    public void A_budget_of_none_never_gives_a_chunk()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var budget = new ReadAheadBudget(0, new GatewayTelemetry(services.GetRequiredService<IMeterFactory>()));

        Assert.False(budget.TryTake());
        Assert.Equal(0, budget.InFlight);
    }
}
