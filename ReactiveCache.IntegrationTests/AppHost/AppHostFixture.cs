using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReactiveCache.IntegrationTests.Infrastructure;

namespace ReactiveCache.IntegrationTests.AppHost;

/// <summary>
/// The whole local topology, started once for every test of the <see cref="AppHostCollection"/>: the
/// AppHost as the README's run command starts it, with two gateways, its own object folder (the samples
/// plus objects that only the policy tests touch) and the thesis's policy in a short configuration so that a burst
/// walks every state of the thesis within seconds (TICK 5 s, two requests within 10 s start a function, the node
/// keeps an object while the last 5 requests span at most 15 s, checked every 3 s; boot delay 2 s): the tests of
/// this collection check the thesis's walk and timings (<see cref="ThesisShortPolicy"/>). The orchestrator's own
/// default policy runs in <see cref="DefaultPolicyAppHostFixture"/>.
/// </summary>
public class AppHostFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The resources the AppHost declares: each must reach Running and Healthy.</summary>
    public static readonly string[] ServiceResources = ["gateway", "gateway-2", "orchestrator", "lambda-emulator"];

    /// <summary>Objects that only the policy tests request (1 KB each).</summary>
    public static readonly string[] PolicyObjects = ["walk.txt", "hot-a.txt", "hot-b.txt", ReplayObject];

    /// <summary>Objects that only the telemetry test requests, one per layer it pins them to (1 KB each).</summary>
    public static readonly string[] TelemetryObjects = ["telemetry-redis.txt", "telemetry-lambda.txt", "telemetry-s3.txt"];

    /// <summary>The thesis's policy in the short configuration (see the class summary).</summary>
    public static readonly string[] ThesisShortPolicy =
    [
        "Policy:Kind=Thesis",
        // A function's first TICK runs from its first tunnel connection, before its route reaches the gateways: on a
        // loaded machine that can take most of a 2 s TICK (seen in CI with 2 s: lambda, s3, s3, lambda after the first
        // function hit, as when a function ends unserved and the next one starts), so the TICK leaves the control plane room.
        "Policy:TickSeconds=5",
        "Policy:LambdaThresholdSeconds=10",
        "Policy:RedisUtilizationSeconds=15",
        "Policy:RedisCheckIntervalSeconds=3",
    ];

    /// <summary>The object the live replay requests (the latency trace names no key).</summary>
    public const string ReplayObject = "replay.html";

    private readonly DirectoryInfo _objects = Directory.CreateTempSubdirectory("apphost-objects-");

    /// <summary>The control API's key, given to the AppHost as its <c>control-api-key</c> parameter (as a person's user secret would).</summary>
    public string ControlApiKey { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    private DistributedApplication? _app;

    /// <summary>The store of record's folder (the folder store of every service).</summary>
    public string ObjectsFolder => _objects.FullName;

    /// <summary>The AppHost's <c>Policy:*</c> settings (none: the orchestrator's default policy).</summary>
    protected virtual IReadOnlyList<string> Policy => ThesisShortPolicy;

    /// <summary>A fixture of its own may set more before the AppHost is built (settings of one service, say).</summary>
    protected virtual void Configure(IDistributedApplicationTestingBuilder builder)
    {
    }

    /// <summary>Where the projects export their telemetry (traces kept, metrics and logs dropped).</summary>
    public OtlpReceiver Telemetry { get; private set; } = null!;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not started.");

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        ReactiveCache.Core.Objects.SampleObjects.SeedFolder(_objects.FullName);
        foreach (var key in PolicyObjects.Concat(TelemetryObjects))
        {
            File.WriteAllBytes(Path.Combine(_objects.FullName, key), ReactiveCache.Core.Objects.SampleObjects.All["1KB.txt"]);
        }

        Telemetry = await OtlpReceiver.StartAsync();
        _app = await StartAsync(_objects.FullName, ControlApiKey, cts.Token, Telemetry.Endpoint, Configure, Policy);
        foreach (var name in ServiceResources)
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(name, cts.Token);
        }
    }

    /// <summary>
    /// Starts the AppHost with two gateways, the objects in <paramref name="objectsRoot"/>, <paramref name="controlApiKey"/>
    /// and the <paramref name="policy"/> settings (null: the thesis's short configuration, see the class summary); returns once
    /// every resource has started (not yet healthy). The projects export telemetry to <paramref name="telemetryEndpoint"/>
    /// (none when null); <paramref name="configure"/> may set more before the AppHost is built. The orchestrator keeps its
    /// node's state file in <paramref name="nodeStateDirectory"/> (null: a directory of this AppHost's own).
    /// </summary>
    public static async Task<DistributedApplication> StartAsync(string objectsRoot, string controlApiKey, CancellationToken cancellationToken,
        string? telemetryEndpoint = null, Action<IDistributedApplicationTestingBuilder>? configure = null, IReadOnlyList<string>? policy = null,
        string? nodeStateDirectory = null)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ReactiveCache_AppHost>(
        [
            $"ObjectStore:Root={objectsRoot}",
            $"Parameters:control-api-key={controlApiKey}",
            "Gateways=2",
            "CacheNode:BootDelay=00:00:02",
            .. nodeStateDirectory is null ? Array.Empty<string>() : [$"CacheNode:StateDirectory={nodeStateDirectory}"],
            .. policy ?? ThesisShortPolicy,
        ], cancellationToken);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));

        // No dashboard under the testing builder: the projects export to the test's own receiver instead (with nothing
        // listening, exporting would slow shutdown by about 13 s per app), spans within a fifth of a second.
        foreach (var resource in builder.Resources.OfType<ProjectResource>())
        {
            resource.Annotations.Add(new EnvironmentCallbackAnnotation(env =>
            {
                if (telemetryEndpoint is null)
                {
                    env.EnvironmentVariables["OTEL_SDK_DISABLED"] = "true";
                    return;
                }

                env.EnvironmentVariables["OTEL_EXPORTER_OTLP_ENDPOINT"] = telemetryEndpoint;
                env.EnvironmentVariables["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
                env.EnvironmentVariables["OTEL_BSP_SCHEDULE_DELAY"] = "200";
            }));
        }

        configure?.Invoke(builder);
        var app = await builder.BuildAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
        return app;
    }

    public HttpClient CreateGatewayClient() => App.CreateHttpClient("gateway", "http");

    /// <summary>A client of the orchestrator's control API, with its key.</summary>
    public HttpClient CreateOrchestratorClient()
    {
        var client = App.CreateHttpClient("orchestrator", "http");
        client.DefaultRequestHeaders.Authorization = new("Bearer", ControlApiKey);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (Telemetry is not null)
        {
            await Telemetry.DisposeAsync();
        }

        _objects.Delete(recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class AppHostCollection : ICollectionFixture<AppHostFixture>
{
    public const string Name = "AppHost";
}
