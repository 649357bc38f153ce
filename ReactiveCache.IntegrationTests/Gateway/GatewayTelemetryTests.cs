using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry;
using OpenTelemetry.Trace;
using ReactiveCache.Domain;
using ReactiveCache.Gateway.CacheNode;
using ReactiveCache.Gateway.Telemetry;

namespace ReactiveCache.IntegrationTests.Gateway;

/// <summary>
/// What the dashboard's trace list shows, read from the spans the gateway exports (an in-memory exporter added
/// to the service defaults' tracing): each GET's server span is named after the layer that served it, and after
/// the fallback when there was one; the Redis commands of a hit are child spans of that GET.
/// </summary>
public sealed class GatewayTelemetryTests : IClassFixture<SharedGatewayServers>, IAsyncLifetime
{
    private const string Key = "1KB.txt";
    private const string RedisSource = "OpenTelemetry.Instrumentation.StackExchangeRedis";

    private readonly GatewayServers _servers;
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly GatewayFactory _gateway;
    private readonly Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<ReactiveCache.Gateway.GatewayAssembly> _traced;
    private readonly HttpClient _client;

    public GatewayTelemetryTests(SharedGatewayServers servers)
    {
        _servers = servers;
        _gateway = new GatewayFactory(servers.S3, cacheNodeEndpoint: servers.RedisEndpoint);
        _traced = _gateway.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new SimpleActivityExportProcessor(new QueueExporter(_spans))))));
        _client = _traced.CreateClient();
    }

    public async Task InitializeAsync()
    {
        await _servers.LoadIntoRedisAsync(Key);
        await Eventually.HoldsAsync(() => _traced.Services.GetService(typeof(CacheNodeConnection)) is CacheNodeConnection { Current.Connected: true },
            TimeSpan.FromSeconds(10), "cache node connected");
    }

    [Fact]
    public async Task Each_get_span_names_its_layer_and_a_redis_hit_has_its_commands_as_child_spans()
    {
        var routes = _traced.Services.GetService(typeof(ReactiveCache.Core.Routing.RouteTable)) as ReactiveCache.Core.Routing.RouteTable
                     ?? throw new InvalidOperationException("no route table");
        void Route(string key, CacheLayer layer) => routes.TryApply(routes.Version, routes.Version + 1, [KeyValuePair.Create(key, layer)], []);

        Route(Key, CacheLayer.Redis);
        (await _client.GetAsync($"/objects/{Key}")).EnsureSuccessStatusCode();
        var redisHit = await ServerSpanAsync(" ← redis");

        Route("index.html", CacheLayer.S3);
        (await _client.GetAsync("/objects/index.html")).EnsureSuccessStatusCode();
        var s3 = await ServerSpanAsync(" ← s3");

        // Routed to the node, which does not hold it: the name says where it went and why.
        const string missing = "telemetry/not-on-the-node.txt";
        Route(missing, CacheLayer.Redis);
        using (await _client.GetAsync($"/objects/{missing}"))
        {
        }

        var fallback = await ServerSpanAsync(" ← s3 after redis:miss");

        Assert.Equal("redis", GatewaySpan(redisHit).GetTagItem(GatewayTelemetry.TagLayer));
        Assert.Equal("s3", GatewaySpan(s3).GetTagItem(GatewayTelemetry.TagLayer));
        Assert.Equal("redis:miss", GatewaySpan(fallback).GetTagItem(GatewayTelemetry.TagFallbacks));

        // The Redis instrumentation flushes its commands every second (ServiceDefaults): wait for the hit's.
        await Eventually.HoldsAsync(() => _spans.Any(span => span.Source.Name == RedisSource && span.TraceId == redisHit.TraceId),
            TimeSpan.FromSeconds(10), "a Redis command span in the hit's trace", Names);
        var command = _spans.First(span => span.Source.Name == RedisSource && span.TraceId == redisHit.TraceId);
        Assert.Equal(GatewaySpan(redisHit).SpanId, command.ParentSpanId);
    }

    /// <summary>The ASP.NET Core server span whose name ends with <paramref name="suffix"/>, once exported.</summary>
    private async Task<Activity> ServerSpanAsync(string suffix)
    {
        var name = $"GET {ReactiveCache.Gateway.Objects.ObjectEndpoints.Pattern}{suffix}";
        await Eventually.HoldsAsync(() => _spans.Any(span => span.Kind == ActivityKind.Server && span.DisplayName == name),
            TimeSpan.FromSeconds(10), $"a server span '{name}'", Names);
        return _spans.Last(span => span.Kind == ActivityKind.Server && span.DisplayName == name);
    }

    /// <summary>The gateway's own span under <paramref name="server"/>, named after the layer too.</summary>
    private Activity GatewaySpan(Activity server)
    {
        var span = _spans.Single(s => s.Source.Name == GatewayTelemetry.Name && s.ParentSpanId == server.SpanId);
        Assert.EndsWith(server.DisplayName[server.DisplayName.IndexOf(" ← ", StringComparison.Ordinal)..], span.DisplayName, StringComparison.Ordinal);
        return span;
    }

    /// <summary>The spans seen (this process's other tests' too: a tracer provider hears every source it names).</summary>
    private string Names() => "spans: " + string.Join("; ", _spans.Where(s => s.Source.Name != RedisSource).Select(s => $"{s.Source.Name} {s.Kind} '{s.DisplayName}'"));

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _traced.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    /// <summary>Keeps every exported span (the OpenTelemetry in-memory exporter's job, into a thread-safe queue).</summary>
    private sealed class QueueExporter(ConcurrentQueue<Activity> spans) : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var activity in batch)
            {
                spans.Enqueue(activity);
            }

            return ExportResult.Success;
        }
    }
}
