using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReactiveCache.Domain.Costs;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.Costs;
using ReactiveCache.Orchestrator.Functions;

namespace ReactiveCache.Orchestrator.Engine;

public static class EngineRegistration
{
    /// <summary>
    /// The configured policy (section <c>Policy</c>) and the engine that runs it: the inbox of events, the loop that
    /// feeds them to the policy, the pump of gateway events, the command executor, the node's work queue and
    /// commands, the node's watcher, the function runner, the objects' sizes against the layers' limits (section <c>SizeLimits</c>), the control API's pins, the reconciliation of a (re)started
    /// orchestrator and the functions that dial back after it; the node loader and the cost meter. The policy decides with the orchestrator's start-up model
    /// (<see cref="PolicyStartup"/>).
    /// </summary>
    public static IHostApplicationBuilder AddPolicyEngine(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddPolicyOptions();
        builder.Services.AddOptions<EngineOptions>()
            .BindConfiguration(EngineOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<SizeLimitsOptions>()
            .BindConfiguration(SizeLimitsOptions.SectionName)
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
            var policy = sp.GetRequiredService<IOptions<PolicyOptions>>().Value;
            var startup = PolicyStartup.From(policy, sp.GetRequiredService<IOptions<CacheNodeOptions>>().Value, sp.GetRequiredService<IOptions<FunctionOptions>>().Value);
            return PolicyFactory.Create(policy, sp.GetRequiredService<TimeProvider>(), costs.Prices, startup);
        });
        builder.Services.AddSingleton<CacheNodeController>();
        builder.Services.AddSingleton<NodeLoader>();
        builder.Services.AddSingleton<CostMeter>();
        builder.Services.AddSingleton<PolicyInbox>();
        builder.Services.AddSingleton<ObjectSizes>();
        builder.Services.AddSingleton<NodeCommands>();
        builder.Services.AddSingleton<FunctionRunner>();
        builder.Services.AddSingleton<CommandExecutor>();
        builder.Services.AddSingleton<RoutePins>();
        builder.Services.AddSingleton<NodeWorkQueue>();
        builder.Services.AddSingleton<Reconciler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NodeWorkQueue>());
        // Before the links are served (hosted services start before the server): gateways that connect report first.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Reconciler>());
        builder.Services.AddHostedService<LateFunctions>();
        builder.Services.AddHostedService<NodeWatcher>();
        builder.Services.AddHostedService<GatewayEventPump>();
        builder.Services.AddHostedService<PolicyLoop>();
        return builder;
    }
}
