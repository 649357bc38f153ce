using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;
using ReactiveCache.Domain;
using ReactiveCache.Gateway.Layers;

namespace ReactiveCache.UnitTests.Gateway.Layers;

/// <summary>When a layer's circuit opens, how long it skips the layer, and the trial call after the break, on a fake clock.</summary>
public sealed class LayerCircuitBreakersTests
{
    private static readonly TimeSpan Break = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly LayerCircuitBreakers _breakers;

    public LayerCircuitBreakersTests() =>
        _breakers = new LayerCircuitBreakers(Options.Create(new LayerResilienceOptions
        {
            MinimumThroughput = 3,
            BreakDurationMs = (int)Break.TotalMilliseconds,
        }), _clock, NullLoggerFactory.Instance);

    [Fact]
    public void Three_failures_open_the_circuit_of_that_layer_only()
    {
        _breakers.ReportFailure(CacheLayer.Lambda);
        _breakers.ReportFailure(CacheLayer.Lambda);
        Assert.True(_breakers.Allows(CacheLayer.Lambda));

        _breakers.ReportFailure(CacheLayer.Lambda);

        Assert.Equal(CircuitState.Open, _breakers.StateOf(CacheLayer.Lambda));
        Assert.False(_breakers.Allows(CacheLayer.Lambda));
        Assert.Equal(CircuitState.Closed, _breakers.StateOf(CacheLayer.Redis));
        Assert.True(_breakers.Allows(CacheLayer.Redis));
    }

    [Fact]
    public void The_break_ends_by_the_clock_and_a_good_trial_call_closes_the_circuit()
    {
        Open(CacheLayer.Redis);

        _clock.Advance(Break - TimeSpan.FromMilliseconds(1));
        Assert.False(_breakers.Allows(CacheLayer.Redis));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(_breakers.Allows(CacheLayer.Redis));
        _breakers.ReportSuccess(CacheLayer.Redis);

        Assert.Equal(CircuitState.Closed, _breakers.StateOf(CacheLayer.Redis));
        Assert.True(_breakers.Allows(CacheLayer.Redis));
    }

    [Fact]
    public void A_failed_trial_call_opens_the_circuit_for_another_break()
    {
        Open(CacheLayer.Lambda);
        _clock.Advance(Break);
        Assert.True(_breakers.Allows(CacheLayer.Lambda));

        _breakers.ReportFailure(CacheLayer.Lambda);

        Assert.Equal(CircuitState.Open, _breakers.StateOf(CacheLayer.Lambda));
        Assert.False(_breakers.Allows(CacheLayer.Lambda));
        _clock.Advance(Break - TimeSpan.FromMilliseconds(1));
        Assert.False(_breakers.Allows(CacheLayer.Lambda));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(_breakers.Allows(CacheLayer.Lambda));
    }

    private void Open(CacheLayer layer)
    {
        for (var i = 0; i < 3; i++)
        {
            _breakers.ReportFailure(layer);
        }

        Assert.Equal(CircuitState.Open, _breakers.StateOf(layer));
    }
}
