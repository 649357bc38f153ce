using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ReactiveCache.IntegrationTests.Infrastructure.Otlp;
using LogsProto = ReactiveCache.IntegrationTests.Infrastructure.Otlp.Logs;
using MetricsProto = ReactiveCache.IntegrationTests.Infrastructure.Otlp.Metrics;

namespace ReactiveCache.IntegrationTests.Infrastructure;

/// <summary>A span as a project exported it over OTLP: the service that sent it and the fields the tests read.</summary>
public sealed record ReceivedSpan(string Service, string Scope, string Name, int Kind, string TraceId, string SpanId, string ParentSpanId,
    DateTimeOffset Start, IReadOnlyDictionary<string, string> Attributes)
{
    public const int KindServer = 2;
    public const int KindClient = 3;

    public override string ToString() => $"{Service} [{Scope}] kind {Kind} '{Name}' at {Start:HH:mm:ss.fff}";
}

/// <summary>
/// An OTLP/gRPC receiver on a free loopback port (HTTP/2 prior knowledge, as the exporters speak it): keeps every span
/// it is sent; metrics and logs are accepted and dropped. Projects are pointed at <see cref="Endpoint"/> with
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private Microsoft.AspNetCore.Builder.WebApplication? _app;

    public string Endpoint { get; private set; } = "";

    public IReadOnlyCollection<ReceivedSpan> Spans => _spans;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var receiver = new OtlpReceiver();
        (receiver._app, receiver.Endpoint) = await LoopbackGrpcHost.StartAsync(new Dictionary<string, string>(),
            builder =>
            {
                builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 64 * 1024 * 1024);
                builder.Services.AddSingleton(receiver);
            },
            app =>
            {
                app.MapGrpcService<TraceExport>();
                app.MapGrpcService<MetricsExport>();
                app.MapGrpcService<LogsExport>();
            });
        return receiver;
    }

    private void Add(ExportTraceServiceRequest request)
    {
        foreach (var resource in request.ResourceSpans)
        {
            var service = resource.Resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value?.StringValue ?? "";
            foreach (var scope in resource.ScopeSpans)
            {
                foreach (var span in scope.Spans)
                {
                    _spans.Enqueue(new ReceivedSpan(service, scope.Scope?.Name ?? "", span.Name, span.Kind,
                        Convert.ToHexStringLower(span.TraceId.Span), Convert.ToHexStringLower(span.SpanId.Span), Convert.ToHexStringLower(span.ParentSpanId.Span),
                        DateTimeOffset.UnixEpoch.AddTicks((long)(span.StartTimeUnixNano / 100)),
                        span.Attributes.ToDictionary(a => a.Key, a => Text(a.Value))));
                }
            }
        }
    }

    private static string Text(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "",
    };

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed class TraceExport(OtlpReceiver receiver) : TraceService.TraceServiceBase
    {
        public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            receiver.Add(request);
            return Task.FromResult(new ExportTraceServiceResponse());
        }
    }

    private sealed class MetricsExport : MetricsProto.MetricsService.MetricsServiceBase
    {
        public override Task<MetricsProto.ExportMetricsServiceResponse> Export(MetricsProto.ExportMetricsServiceRequest request, ServerCallContext context) =>
            Task.FromResult(new MetricsProto.ExportMetricsServiceResponse());
    }

    private sealed class LogsExport : LogsProto.LogsService.LogsServiceBase
    {
        public override Task<LogsProto.ExportLogsServiceResponse> Export(LogsProto.ExportLogsServiceRequest request, ServerCallContext context) =>
            Task.FromResult(new LogsProto.ExportLogsServiceResponse());
    }
}
