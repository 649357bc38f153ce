using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReactiveCache.Core.Routing;

namespace ReactiveCache.Gateway.Routing;

public static class RoutingRegistration
{
    /// <summary>
    /// The route table and the link that feeds it (section <c>OrchestratorLink</c>; the address defaults to
    /// Aspire's <c>services:orchestrator:http:0</c>), the request event queue, and a health check that
    /// reports Degraded (still serving) while the link is down.
    /// </summary>
    public static TBuilder AddOrchestratorLink<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<OrchestratorLinkOptions>()
            .BindConfiguration(OrchestratorLinkOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (string.IsNullOrWhiteSpace(options.Address))
                {
                    options.Address = configuration["services:orchestrator:http:0"];
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton<RouteTable>();
        builder.Services.AddSingleton<RequestEventQueue>();
        builder.Services.AddSingleton<OrchestratorLink>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OrchestratorLink>());
        builder.Services.AddHealthChecks().AddCheck<OrchestratorLinkHealthCheck>("orchestrator-link");
        return builder;
    }
}
