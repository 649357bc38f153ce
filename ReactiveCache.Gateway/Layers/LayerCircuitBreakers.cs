using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using ReactiveCache.Core.Routing;
using ReactiveCache.Domain;

namespace ReactiveCache.Gateway.Layers;

/// <summary>
/// One Polly circuit breaker per cache layer (Redis, Lambda), so that a layer that keeps failing is skipped
/// (straight to the next one) instead of costing every request a timeout. S3 has none: it is the last
/// resort, and a breaker there would only turn slow errors into fast ones.
/// </summary>
/// <remarks>
/// The hot path does not run through the pipeline (its async layers cost more than a Redis hit's own
/// code): the layers call <see cref="Allows"/> before trying, then report each failure with
/// <see cref="ReportFailure"/> and a success only while the circuit is not closed (the half-open trial
/// that closes it). So the circuit opens when <see cref="LayerResilienceOptions.MinimumThroughput"/>
/// failures fall within the sampling window, and closes after one good trial call. The pipeline and
/// <see cref="Allows"/> read the same <see cref="TimeProvider"/>, so they agree on when a break is over.
/// </remarks>
public sealed class LayerCircuitBreakers
{
    private static readonly ResiliencePropertyKey<bool> Failed = new("reactivecache.failed");

    private readonly Breaker _redis;
    private readonly Breaker _lambda;

    public LayerCircuitBreakers(IOptions<LayerResilienceOptions> options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger<LayerCircuitBreakers>();
        _redis = new Breaker(options.Value, CacheLayer.Redis, time, logger);
        _lambda = new Breaker(options.Value, CacheLayer.Lambda, time, logger);
    }

    /// <summary>Whether calls to <paramref name="layer"/> are let through now (closed or half-open circuit).</summary>
    public bool Allows(CacheLayer layer) => For(layer).Allows();

    public CircuitState StateOf(CacheLayer layer) => For(layer).State.CircuitState;

    public void ReportFailure(CacheLayer layer) => For(layer).Report(failed: true);

    public void ReportSuccess(CacheLayer layer)
    {
        var breaker = For(layer);
        if (breaker.State.CircuitState != CircuitState.Closed)
        {
            breaker.Report(failed: false);
        }
    }

    private Breaker For(CacheLayer layer) => layer == CacheLayer.Redis ? _redis : _lambda;

    private sealed class Breaker
    {
        private readonly ResiliencePipeline _pipeline;
        private readonly TimeProvider _time;

        /// <summary>When the open circuit's break ends, in UTC ticks of <see cref="_time"/> (Polly's own clock).</summary>
        private long _retryAt;

        public Breaker(LayerResilienceOptions options, CacheLayer layer, TimeProvider time, ILogger logger)
        {
            _time = time;
            _pipeline = new ResiliencePipelineBuilder { Name = $"gateway-{layer.ToName()}", TimeProvider = time }
                .AddCircuitBreaker(new CircuitBreakerStrategyOptions
                {
                    FailureRatio = options.FailureRatio,
                    MinimumThroughput = options.MinimumThroughput,
                    SamplingDuration = TimeSpan.FromMilliseconds(options.SamplingDurationMs),
                    BreakDuration = TimeSpan.FromMilliseconds(options.BreakDurationMs),
                    StateProvider = State,
                    ShouldHandle = args => ValueTask.FromResult(args.Context.Properties.GetValue(Failed, false)),
                    OnOpened = args =>
                    {
                        Volatile.Write(ref _retryAt, (_time.GetUtcNow() + args.BreakDuration).UtcTicks);
                        logger.LogWarning("Circuit of the {Layer} layer opened for {Duration}: requests skip it", layer.ToName(), args.BreakDuration);
                        return ValueTask.CompletedTask;
                    },
                    OnClosed = _ =>
                    {
                        logger.LogInformation("Circuit of the {Layer} layer closed", layer.ToName());
                        return ValueTask.CompletedTask;
                    },
                })
                .Build();
        }

        public CircuitBreakerStateProvider State { get; } = new();

        /// <summary>
        /// Closed and half-open circuits let calls through; an open one does once its break is over (Polly moves
        /// it to half-open only when the next call is reported, so the trial call is what this lets through).
        /// </summary>
        public bool Allows() => State.CircuitState switch
        {
            CircuitState.Closed or CircuitState.HalfOpen => true,
            CircuitState.Open => _time.GetUtcNow().UtcTicks >= Volatile.Read(ref _retryAt),
            _ => false,
        };

        public void Report(bool failed)
        {
            var context = ResilienceContextPool.Shared.Get();
            try
            {
                context.Properties.Set(Failed, failed);
                _pipeline.Execute(static _ => { }, context);
            }
            catch (BrokenCircuitException)
            {
                // Already open: nothing more to record.
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }
    }
}
