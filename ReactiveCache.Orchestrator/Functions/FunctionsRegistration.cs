using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ReactiveCache.Orchestrator.Functions;

public static class FunctionsRegistration
{
    /// <summary>The invoker (emulator or AWS, by <c>Function:Invoker</c>), tokens, the launcher and the control streams.</summary>
    public static IHostApplicationBuilder AddFunctions(this IHostApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<FunctionOptions>()
            .BindConfiguration(FunctionOptions.SectionName)
            .ValidateDataAnnotations()
            // The tokens travel in the functions' dials: outside Development, in clear only to private addresses.
            .Validate(o => development || o.MoreGatewayTunnelUrls.Prepend(o.GatewayTunnelUrl).OfType<string>().All(ReactiveCache.Core.Tunnel.TunnelProtocol.IsSecureOrPrivate),
                "Outside Development, Function:GatewayTunnelUrl and Function:MoreGatewayTunnelUrls must be https (wss) or name a private address.")
            .ValidateOnStart();
        builder.Services.AddOptions<TunnelSecretOptions>()
            .BindConfiguration(TunnelSecretOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddGrpc();

        // An invoke lasts as long as the function lives (RequestResponse): no resilience retries
        // (they would start a second function) and no timeout shorter than the function's.
        // RemoveAllResilienceHandlers is marked experimental (EXTEXP0001); it is the documented way to
        // opt one client out of ConfigureHttpClientDefaults' resilience while keeping service discovery.
#pragma warning disable EXTEXP0001
        // Named clients, created from the factory per invoke: a typed client resolved into a singleton would keep
        // its first handler (and its DNS answers and connections) for the life of the process.
        builder.Services.AddHttpClient(EmulatorFunctionInvoker.ClientName, ConfigureInvokeClient).RemoveAllResilienceHandlers();
        builder.Services.AddHttpClient(AwsFunctionInvoker.ClientName, ConfigureInvokeClient).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<EmulatorFunctionInvoker>();
        builder.Services.AddSingleton<AwsFunctionInvoker>();
        builder.Services.AddSingleton<IFunctionInvoker>(sp =>
            sp.GetRequiredService<IOptions<FunctionOptions>>().Value.Invoker == FunctionInvokerKind.Aws
                ? sp.GetRequiredService<AwsFunctionInvoker>()
                : sp.GetRequiredService<EmulatorFunctionInvoker>());
        builder.Services.AddSingleton<FunctionTokens>();
        builder.Services.AddSingleton<FunctionLauncher>();
        builder.Services.AddSingleton<FunctionControlHub>();
        builder.Services.AddSingleton<IFunctionControl>(sp => sp.GetRequiredService<FunctionControlHub>());
        return builder;
    }

    public static IEndpointRouteBuilder MapFunctions(this IEndpointRouteBuilder app)
    {
        // The control stream authenticates itself with the invocation's token, not with the control API's key.
        app.MapGrpcService<FunctionControlService>().AllowAnonymous();
        return app;
    }

    private static void ConfigureInvokeClient(IServiceProvider services, HttpClient client) =>
        client.Timeout = services.GetRequiredService<IOptions<FunctionOptions>>().Value.Timeout + TimeSpan.FromMinutes(1);
}
