using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Simulation;
using ReactiveCache.Domain.Traces.Generators;
using ReactiveCache.UnitTests;
using Stopwatch = System.Diagnostics.Stopwatch;

namespace ReactiveCache.UnitTests.Domain.Simulation;

/// <summary>The simulator's throughput target: at least a million events per second (run alone: it measures time).</summary>
[Collection(nameof(TimingSensitive))]
public sealed class SimulatorSpeedTests
{
    [Fact]
    public void ThesisPolicy_simulates_at_least_a_million_events_per_second()
    {
        var trace = ZipfTraceGenerator.Generate(keys: 100, skew: 1.0, ratePerMinute: 6000, durationMinutes: 60, seed: 42);
        var options = new SimulationOptions { Policy = PolicyKind.Thesis, Rate = 3, Sensitivity = 4, RecordRequests = false };
        Simulator.Run(trace, options);
        double best = 0;
        for (int i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            var result = Simulator.Run(trace, options);
            sw.Stop();
            best = Math.Max(best, result.Events / sw.Elapsed.TotalSeconds);
        }

        Assert.True(best >= 1_000_000, $"{best:0} events/s");
    }
}
