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
            // AUTH always: a gateway that may be handed a node (by the orchestrator, or configured) has its password.
            .Validate<IConfiguration>((o, configuration) => !MayUseNode(o, configuration) || HasPassword(o, configuration),
                "CacheNode:Password (or a password in ConnectionStrings:cache) is required when the gateway links to an orchestrator or names a node: the node is only reached with AUTH.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System); // drain timeouts
        builder.Services.AddSingleton<CacheNodeConnection>();
        return builder;
    }

    private static bool MayUseNode(CacheNodeOptions options, IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(options.Endpoint)
        || !string.IsNullOrWhiteSpace(configuration[$"{Routing.OrchestratorLinkOptions.SectionName}:Address"])
        || !string.IsNullOrWhiteSpace(configuration["services:orchestrator:http:0"]);

    private static bool HasPassword(CacheNodeOptions options, IConfiguration configuration) =>
        !string.IsNullOrEmpty(options.Password)
        || (configuration.GetConnectionString(CacheNodeOptions.ConnectionStringName) is { Length: > 0 } connection
            && !string.IsNullOrEmpty(StackExchange.Redis.ConfigurationOptions.Parse(connection, ignoreUnknown: true).Password));
}
