using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReactiveCache.Orchestrator;
using ReactiveCache.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.Functions;

namespace ReactiveCache.IntegrationTests.Orchestrator;

/// <summary>
/// The real orchestrator (its Program) in memory, with its control API's keys, a cache node that "boots" at once
/// without a process, and a function invoker of the test's choosing (by default one that fails every invoke fast);
/// <paramref name="services"/> replaces more of its services (e.g. AWS clients signed for an offline AWS).
/// </summary>
public sealed class OrchestratorFactory(IFunctionInvoker? invoker = null, IReadOnlyDictionary<string, string?>? settings = null,
    Action<IServiceCollection>? services = null)
    : WebApplicationFactory<OrchestratorAssembly>
{
    public const string OperatorKey = "the-control-api-tests-operator-key-0123456789";
    public const string ReadKey = "the-control-api-tests-read-only-key-0123456789";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ControlApi:Key", OperatorKey);
        builder.UseSetting("ControlApi:ReadKey", ReadKey);
        builder.UseSetting("GatewayLink:Secret", "the-control-api-tests-link-secret-0123456789");
        builder.UseSetting("Tunnel:Secret", "the-control-api-tests-tunnel-secret-0123456789");
        builder.UseSetting("CacheNode:Password", "the-control-api-tests-node-password");
        builder.UseSetting("CacheNode:ReaderPassword", "the-control-api-tests-node-reader-password");
        builder.UseSetting("Function:GatewayTunnelUrl", "http://127.0.0.1:9/tunnel/connect");
        builder.UseSetting("Function:EmulatorUrl", "http://127.0.0.1:9");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(collection =>
        {
            collection.AddSingleton<ICacheNode, InstantCacheNode>();
            collection.AddSingleton(invoker ?? new FailingInvoker());
            services?.Invoke(collection);
        });
    }

    /// <summary>A client of the control API carrying <paramref name="key"/> (none: no credential).</summary>
    public HttpClient Client(string? key)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        }

        return client;
    }

    /// <summary>A node that is up the moment it is asked (nothing listens at its endpoint: loads fail, which is fine here).</summary>
    private sealed class InstantCacheNode : ICacheNode
    {
        private volatile bool _running;

        public Task<CacheNodeEndpoint> StartAsync(CancellationToken cancellationToken)
        {
            _running = true;
            return Task.FromResult(new CacheNodeEndpoint("127.0.0.1", 9));
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            _running = false;
            return Task.CompletedTask;
        }

        public Task<bool> IsRunningAsync(CancellationToken cancellationToken) => Task.FromResult(_running);

        // No node is left over from an earlier orchestrator here.
        public Task<CacheNodeEndpoint?> FindRunningAsync(CancellationToken cancellationToken) => Task.FromResult<CacheNodeEndpoint?>(null);
    }

    /// <summary>Every invoke fails at once, as an unreachable Lambda service would.</summary>
    private sealed class FailingInvoker : IFunctionInvoker
    {
        public Task<FunctionInvocation> InvokeAsync(ReactiveCache.Core.Functions.FunctionPayload payload, FunctionInvocationType type, CancellationToken cancellationToken) =>
            Task.FromResult(new FunctionInvocation(502, null, "Unreachable", []));
    }
}
