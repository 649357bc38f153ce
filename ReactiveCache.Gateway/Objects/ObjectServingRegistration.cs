using Microsoft.Extensions.DependencyInjection.Extensions;
using ReactiveCache.Gateway.Layers;
using ReactiveCache.Gateway.Origin;
using ReactiveCache.Gateway.Telemetry;

namespace ReactiveCache.Gateway.Objects;

public static class ObjectServingRegistration
{
    /// <summary>
    /// The object API's services: telemetry, the S3 layer with stampede protection, the Redis layer, the
    /// circuit breakers and the fallback chain. The Lambda layer joins the chain when an
    /// <see cref="ILambdaLayer"/> is registered (the tunnel); without one the chain skips it.
    /// Needs <c>AddGatewayLimits</c> (the held-body budget), <c>AddObjectStore</c>, <c>AddOrchestratorLink</c> (the route table) and <c>AddCacheNode</c> first: see Program.cs.
    /// </summary>
    public static TBuilder AddObjectServing<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<GatewayTelemetry>();
        builder.Services.TryAddSingleton(TimeProvider.System); // request times, circuit breaks

        builder.Services.AddOptions<OriginOptions>()
            .BindConfiguration(OriginOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<LayerResilienceOptions>()
            .BindConfiguration(LayerResilienceOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton<OriginGuard>();
        builder.Services.AddSingleton<OriginFetchCoalescer>();
        builder.Services.AddSingleton<OriginLayer>();
        builder.Services.AddSingleton<LayerCircuitBreakers>();
        builder.Services.AddSingleton<RedisLayer>();
        builder.Services.AddSingleton<FallbackChain>();
        return builder;
    }
}
