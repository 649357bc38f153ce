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

    /// <summary>Loopback only; the Invoke and Runtime APIs; the environments listing in Development only (it names every process).</summary>
    public static WebApplication MapLambdaEmulator(this WebApplication app)
    {
        app.UseLoopbackOnly();
        app.MapInvokeApi().MapRuntimeApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapEnvironmentsApi();
        }

        return app;
    }
}
