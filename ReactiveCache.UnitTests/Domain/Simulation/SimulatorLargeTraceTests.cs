using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Simulation;
using ReactiveCache.Domain.Traces.Generators;

namespace ReactiveCache.UnitTests.Domain.Simulation;

/// <summary>
/// A large trace (360 000 requests over 100 keys) runs through the simulator and gives the same result every time.
/// Its speed is a benchmark, not a test (these machines are shared and noisy): <c>reactive-cache bench simulate</c>.
/// </summary>
public sealed class SimulatorLargeTraceTests
{
    [Fact]
    public void A_large_zipf_trace_is_simulated_whole_and_deterministically()
    {
        var trace = ZipfTraceGenerator.Generate(keys: 100, skew: 1.0, ratePerMinute: 6000, durationMinutes: 60, seed: 42);
        var options = new SimulationOptions { Policy = PolicyKind.Thesis, Rate = 3, Sensitivity = 4, RecordRequests = false };

        var first = Simulator.Run(trace, options);
        var second = Simulator.Run(trace, options);

        Assert.True(first.Events >= trace.Count, $"{first.Events} events for {trace.Count} requests");
        Assert.Equal(first.Events, second.Events);
        Assert.Equal(first.ObjectiveUsd, second.ObjectiveUsd);
    }
}
