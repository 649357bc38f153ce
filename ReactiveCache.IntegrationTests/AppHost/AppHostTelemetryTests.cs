using System.Diagnostics;
using System.Net;
using ReactiveCache.IntegrationTests.Infrastructure;
using ReactiveCache.IntegrationTests.Lambda;
using Xunit.Abstractions;

namespace ReactiveCache.IntegrationTests.AppHost;

/// <summary>
/// What the dashboard shows, read from the telemetry the AppHost's projects export (over OTLP, to the fixture's
/// receiver): a GET's trace names the layer that served it, for each layer; and a run left alone exports nothing,
/// in particular no polls (the cache-node resource's <c>GET /node</c>, health checks) to bury the request traces.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class AppHostTelemetryTests(AppHostFixture fixture, ITestOutputHelper output)
{
    private const string GatewaySource = "ReactiveCache.Gateway";
    private const string RedisSource = "OpenTelemetry.Instrumentation.StackExchangeRedis";
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(10);

    /// <summary>Longer than the projects' export delay (the fixture's 200 ms) and the Redis instrumentation's flush (1 s).</summary>
    private static readonly TimeSpan ExportWait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_run_left_alone_exports_no_span_no_poll()
    {
        // Exported spans carry their start: the window is judged by it, once everything started in it is exported.
        var from = DateTimeOffset.UtcNow;
        await Task.Delay(Idle);
        var to = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(3));

        var spans = fixture.Telemetry.Spans.Where(s => s.Start >= from && s.Start < to).ToList();
        output.WriteLine($"{spans.Count} spans started in {Idle.TotalSeconds} s without a request; {fixture.Telemetry.Spans.Count} received in all");
        foreach (var span in spans)
        {
            output.WriteLine(span.ToString());
        }

        // Nobody sends a request: a server span now is a poll (a dashboard resource, a health probe).
        Assert.Empty(spans.Where(s => s.Kind == ReceivedSpan.KindServer).Select(s => s.ToString()));
        // Nor is anything done over and over (a client's polls, a timer's work).
        Assert.Empty(spans.GroupBy(s => (s.Service, s.Name)).Where(g => g.Count() >= 3).Select(g => $"{g.Count()} × {g.First()}"));
    }

    [Fact]
    public async Task Each_get_trace_names_the_layer_that_served_it()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var orchestrator = fixture.CreateOrchestratorClient();
        using var gateway = fixture.CreateGatewayClient();
        var layers = new[] { "redis", "lambda", "s3" };
        var keys = layers.Zip(AppHostFixture.TelemetryObjects).ToDictionary(p => p.First, p => p.Second);
        try
        {
            foreach (var (layer, key) in keys)
            {
                using var pinned = await orchestrator.PutAsync($"/routes/{key}?layer={layer}", null, cts.Token);
                Assert.Equal(HttpStatusCode.Accepted, pinned.StatusCode);
            }

            foreach (var (layer, key) in keys)
            {
                // GETs until the pinned layer answers (the node boots, the function is invoked); the last one's trace is the one read.
                var traceId = "";
                var last = "";
                await Eventually.HoldsAsync(async () =>
                {
                    traceId = ActivityTraceId.CreateRandom().ToHexString();
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"/objects/{key}");
                    request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
                    using var response = await gateway.SendAsync(request, cts.Token);
                    last = $"{(int)response.StatusCode} from {FunctionFixture.Origin(response)}";
                    return response.StatusCode == HttpStatusCode.OK && FunctionFixture.Origin(response) == layer;
                }, TimeSpan.FromMinutes(2), $"the gateway serves {key} from {layer}", () => last);

                // The trace list shows the root span: the gateway's server span, named after the layer; its child, the
                // gateway's own span, carries the layer as a tag; a Redis hit has its commands as child spans.
                var server = await ExportedAsync(traceId, s => s.Service == "gateway" && s.Kind == ReceivedSpan.KindServer, $"{layer}: the gateway's server span");
                Assert.EndsWith($" ← {layer}", server.Name, StringComparison.Ordinal);
                var own = await ExportedAsync(traceId, s => s.Scope == GatewaySource && s.ParentSpanId == server.SpanId, $"{layer}: the gateway's span");
                Assert.Equal(layer, own.Attributes.GetValueOrDefault("reactivecache.layer"));
                Assert.Equal(key, own.Attributes.GetValueOrDefault("reactivecache.key"));
                if (layer == "redis")
                {
                    var command = await ExportedAsync(traceId, s => s.Scope == RedisSource, "redis: a Redis command span");
                    Assert.Equal(own.SpanId, command.ParentSpanId);
                }
            }
        }
        finally
        {
            foreach (var key in keys.Values)
            {
                using var _ = await orchestrator.DeleteAsync($"/routes/{key}", CancellationToken.None);
            }
        }
    }

    private async Task<ReceivedSpan> ExportedAsync(string traceId, Func<ReceivedSpan, bool> match, string what)
    {
        ReceivedSpan? found = null;
        await Eventually.HoldsAsync(() => (found = fixture.Telemetry.Spans.FirstOrDefault(s => s.TraceId == traceId && match(s))) is not null,
            ExportWait, what, () => "spans of the trace: " + string.Join("; ", fixture.Telemetry.Spans.Where(s => s.TraceId == traceId)));
        return found!;
    }
}
