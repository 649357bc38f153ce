using Amazon.S3;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Concurrency;
using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Routing;
using ReactiveCache.Gateway;
using ReactiveCache.Gateway.Layers;
using ReactiveCache.Gateway.Routing;
using ReactiveCache.IntegrationTests.Infrastructure;
using ReactiveCache.Domain;

namespace ReactiveCache.IntegrationTests.Gateway;

/// <summary>
/// The real gateway (its Program) in memory, reading a real S3 API server (s3rver) through a counting
/// store, optionally linked to a test orchestrator, optionally with a cache node, a fake function and a
/// clock of the test's own (<paramref name="time"/>, e.g. a <c>FakeTimeProvider</c>: circuit breaks, drain timeouts).
/// </summary>
public sealed class GatewayFactory(
    S3rverFixture s3,
    string? orchestratorAddress = null,
    string? cacheNodeEndpoint = null,
    FakeLambdaLayer? lambda = null,
    IReadOnlyDictionary<string, string?>? settings = null,
    TimeProvider? time = null) : WebApplicationFactory<GatewayAssembly>
{
    /// <summary>The requests the gateway is handling, counted around its whole pipeline: a test can wait for
    /// those whose clients left to end on the server too.</summary>
    public InFlightGate Requests { get; } = new();

    public CountingObjectStore Store => Services.GetRequiredService<CountingObjectStore>();

    public RouteTable Routes => Services.GetRequiredService<RouteTable>();

    public OrchestratorLink Link => Services.GetRequiredService<OrchestratorLink>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ObjectStore:Kind", "S3");
        builder.UseSetting("ObjectStore:Bucket", S3rverFixture.Bucket);
        builder.UseSetting("ObjectStore:ServiceUrl", s3.ServiceUrl);
        builder.UseSetting("ObjectStore:ForcePathStyle", "true");
        builder.UseSetting("ObjectStore:Region", "us-east-1");
        builder.UseSetting("OrchestratorLink:Address", orchestratorAddress ?? "");
        builder.UseSetting("OrchestratorLink:Secret", TestOrchestrator.TestSecret);
        builder.UseSetting("OrchestratorLink:GatewayId", "test-gateway");
        builder.UseSetting("OrchestratorLink:ReconnectMinDelayMs", "100");
        builder.UseSetting("OrchestratorLink:ReconnectMaxDelayMs", "1000");
        builder.UseSetting("OrchestratorLink:BatchDelayMs", "10");
        // As deployed: the gateway signs in as the node's read-only user (redis-server's, RedisServer).
        builder.UseSetting("CacheNode:User", ReactiveCache.Core.Caching.CacheNodeUsers.Reader);
        builder.UseSetting("CacheNode:Password", RedisServer.ReaderPassword);
        builder.UseSetting("CacheNode:CommandTimeoutMs", "500");
        builder.UseSetting("CacheNode:ConnectTimeoutMs", "1000");
        if (cacheNodeEndpoint is not null)
        {
            builder.UseSetting("CacheNode:Endpoint", cacheNodeEndpoint);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services =>
        {
            // The client the gateway's own settings describe (a test may point it elsewhere, e.g. at a fault proxy).
            services.AddSingleton<IAmazonS3>(sp => ObjectStoreRegistration.CreateS3Client(
                sp.GetRequiredService<IOptions<ObjectStoreOptions>>().Value, S3rver.Credentials));
            services.AddSingleton(sp => new CountingObjectStore(new S3ObjectStore(
                sp.GetRequiredService<IAmazonS3>(), sp.GetRequiredService<IOptions<ObjectStoreOptions>>())));
            services.AddSingleton<IObjectStore>(sp => sp.GetRequiredService<CountingObjectStore>());
            if (lambda is not null)
            {
                services.AddSingleton<ILambdaLayer>(lambda);
            }

            if (time is not null)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(time);
            }

            services.AddSingleton<IStartupFilter>(new CountRequests(Requests));
        });
    }

    /// <summary>
    /// A gateway on <paramref name="servers"/> that streams node entries one read ahead: entries stored in
    /// <see cref="GatewayServers.SmallChunkBytes"/> fields are many reads per body.
    /// </summary>
    public static GatewayFactory StreamingInSmallChunks(GatewayServers servers) =>
        new(servers.S3, cacheNodeEndpoint: servers.RedisEndpoint, settings: new Dictionary<string, string?>
        {
            ["CacheNode:ReadAheadChunks"] = "1",
        });

    /// <summary>Completes once the gateway is connected to its cache node.</summary>
    public Task CacheNodeConnectedAsync() =>
        Eventually.HoldsAsync(() => Services.GetService(typeof(global::ReactiveCache.Gateway.CacheNode.CacheNodeConnection)) is global::ReactiveCache.Gateway.CacheNode.CacheNodeConnection { Current.Connected: true },
            TimeSpan.FromSeconds(10), "cache node connected");

    /// <summary>Points a key at a layer directly (tests without an orchestrator).</summary>
    public void Route(string key, CacheLayer layer) =>
        Routes.TryApply(Routes.Version, Routes.Version + 1, [KeyValuePair.Create(key, layer)], []);

    private sealed class CountRequests(InFlightGate requests) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, rest) =>
            {
                requests.Enter();
                try
                {
                    await rest(context);
                }
                finally
                {
                    requests.Exit();
                }
            });
            next(app);
        };
    }
}
