using Microsoft.Extensions.DependencyInjection.Extensions;
using ReactiveCache.LambdaEmulator.Api;
using ReactiveCache.LambdaEmulator.Environments;

namespace ReactiveCache.LambdaEmulator;

public static class EmulatorRegistration
{
    public static IHostApplicationBuilder AddLambdaEmulator(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmulatorOptions>()
            .BindConfiguration(EmulatorOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddProblemDetails();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<EnvironmentPool>();
        builder.Services.AddHostedService<EnvironmentReaper>();
        return builder;
    }

    public static IEndpointRouteBuilder MapLambdaEmulator(this IEndpointRouteBuilder app) =>
        app.MapInvokeApi().MapRuntimeApi().MapEnvironmentsApi();
}
