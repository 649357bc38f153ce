using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReactiveCache.Tests.AppHost;

/// <summary>The whole local topology, started once for every test of the <see cref="AppHostCollection"/>.</summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The resources the AppHost declares: each must reach Running and Healthy.</summary>
    public static readonly string[] ServiceResources = ["gateway", "orchestrator", "lambda-emulator"];

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not started.");

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ReactiveCache_AppHost>(cts.Token);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));

        // No dashboard under the testing builder: telemetry export would only slow shutdown (PLATFORM.md).
        foreach (var resource in builder.Resources.OfType<ProjectResource>())
        {
            resource.Annotations.Add(new EnvironmentCallbackAnnotation(env => env.EnvironmentVariables["OTEL_SDK_DISABLED"] = "true"));
        }

        _app = await builder.BuildAsync(cts.Token);
        await _app.StartAsync(cts.Token);
        foreach (var name in ServiceResources)
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(name, cts.Token);
        }
    }

    public HttpClient CreateGatewayClient() => App.CreateHttpClient("gateway", "http");

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AppHostCollection : ICollectionFixture<AppHostFixture>
{
    public const string Name = "AppHost";
}
