using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReactiveCache.Domain.Costs;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.Costs;

namespace ReactiveCache.Orchestrator.Engine;

public static class EngineRegistration
{
    /// <summary>The configured policy (section <c>Policy</c>), the engine that runs it, the node loader and the cost meter.</summary>
    public static IHostApplicationBuilder AddPolicyEngine(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddPolicyOptions();
        builder.Services.AddOptions<EngineOptions>()
            .BindConfiguration(EngineOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<CostOptions>()
            .BindConfiguration(CostOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => PriceTable.Find(o.PriceTable) is not null,
                $"Costs:PriceTable must name a known price table ({string.Join(", ", PriceTable.All.Select(p => p.Name))}).")
            .ValidateOnStart();

        builder.Services.AddSingleton<ICachePolicy>(sp =>
        {
            var costs = sp.GetRequiredService<CostMeter>();
            return PolicyFactory.Create(sp.GetRequiredService<IOptions<PolicyOptions>>().Value, sp.GetRequiredService<TimeProvider>(), costs.Prices);
        });
        builder.Services.AddSingleton<CacheNodeController>();
        builder.Services.AddSingleton<NodeLoader>();
        builder.Services.AddSingleton<CostMeter>();
        builder.Services.AddSingleton<PolicyEngine>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PolicyEngine>());
        return builder;
    }
}
