using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ReactiveCache.Gateway.Layers;

namespace ReactiveCache.Gateway.Tunnel;

public static class LambdaTunnelRegistration
{
    /// <summary>The Lambda layer (<see cref="ILambdaLayer"/>) over function tunnels, and what the tunnel endpoints need.</summary>
    public static IHostApplicationBuilder AddLambdaTunnel(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TunnelOptions>()
            .BindConfiguration(TunnelOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddProblemDetails();
        builder.Services.AddHttpForwarder();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TunnelRegistry>();
        builder.Services.AddSingleton<TunnelTokenCheck>();
        builder.Services.AddSingleton<ILambdaLayer, LambdaTunnelLayer>();
        // Registered after Kestrel's socket transport, so asked first (Kestrel tries the last one first): it binds only the tunnel port.
        builder.Services.AddSingleton<IConnectionListenerFactory, TunnelPortListenerFactory>();
        return builder;
    }
}
