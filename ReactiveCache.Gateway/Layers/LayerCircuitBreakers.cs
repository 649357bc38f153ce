using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using ReactiveCache.Core.Routing;

namespace ReactiveCache.Gateway.Layers;

/// <summary>
/// One Polly circuit breaker per cache layer (Redis, Lambda), so that a layer that keeps failing is skipped
/// (straight to the next one) instead of costing every request a timeout. S3 has none: it is the last
/// resort, and a breaker there would only turn slow errors into fast ones.
/// </summary>
public sealed class LayerCircuitBreakers
{
    private readonly CircuitBreakerStateProvider _redisState = new();
    private readonly CircuitBreakerStateProvider _lambdaState = new();

    public LayerCircuitBreakers(IOptions<LayerResilienceOptions> options, ILoggerFactory loggerFactory)
    {
        Redis = Build(options.Value, _redisState, CacheLayer.Redis, loggerFactory);
        Lambda = Build(options.Value, _lambdaState, CacheLayer.Lambda, loggerFactory);
    }

    public ResiliencePipeline Redis { get; }

    public ResiliencePipeline Lambda { get; }

    /// <summary>Whether calls to <paramref name="layer"/> are let through now (closed or half-open circuit).</summary>
    public bool Allows(CacheLayer layer) => (layer == CacheLayer.Redis ? _redisState : _lambdaState).CircuitState
        is CircuitState.Closed or CircuitState.HalfOpen;

    private static ResiliencePipeline Build(LayerResilienceOptions options, CircuitBreakerStateProvider state, CacheLayer layer, ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger<LayerCircuitBreakers>();
        return new ResiliencePipelineBuilder { Name = $"gateway-{layer.Name()}" }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = TimeSpan.FromMilliseconds(options.SamplingDurationMs),
                BreakDuration = TimeSpan.FromMilliseconds(options.BreakDurationMs),
                StateProvider = state,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
                OnOpened = args =>
                {
                    logger.LogWarning("Circuit of the {Layer} layer opened for {Duration}: requests skip it", layer.Name(), args.BreakDuration);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    logger.LogInformation("Circuit of the {Layer} layer closed", layer.Name());
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }
}
