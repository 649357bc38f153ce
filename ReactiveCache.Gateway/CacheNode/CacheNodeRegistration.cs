using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ReactiveCache.Gateway.CacheNode;

public static class CacheNodeRegistration
{
    /// <summary>
    /// The connection to the cache node (section <c>CacheNode</c>, optional <c>ConnectionStrings:cache</c>). The
    /// node itself is named at run time by the orchestrator (or by <c>CacheNode:Endpoint</c>).
    /// </summary>
    /// <remarks>
    /// Aspire's <c>AddRedisClient</c> registers one multiplexer for a connection string known at start-up;
    /// here the endpoint changes at run time (the node is started and stopped), so the multiplexer is made
    /// per node, and the connection string only supplies the client options (Aspire's convention kept).
    /// </remarks>
    public static TBuilder AddCacheNode<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<CacheNodeOptions>()
            .BindConfiguration(CacheNodeOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System); // drain timeouts
        builder.Services.AddSingleton<CacheNodeConnection>();
        return builder;
    }
}
