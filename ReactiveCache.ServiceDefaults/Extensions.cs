using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The Aspire service defaults: OpenTelemetry (traces, metrics, logs over OTLP), health checks,
/// service discovery and the standard HttpClient resilience pipeline.
/// </summary>
public static class Extensions
{
    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";

    /// <summary>Activity sources and meters of ReactiveCache's own components.</summary>
    public const string TelemetryPrefix = "ReactiveCache.";

    /// <summary>
    /// <c>HttpContext.Items</c> key: a handler that knows more than the route puts the request's span name here
    /// (the gateway: <c>GET /objects/{**key} ← redis</c>, the layer that served), and the server span is named
    /// with it when the request ends. The dashboard's trace list shows the root span's name.
    /// </summary>
    public const string ServerSpanNameItem = "ReactiveCache.ServerSpanName";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TelemetryPrefix + "*"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(TelemetryPrefix + "*")
                .AddAspNetCoreInstrumentation(o =>
                {
                    // Health probes would drown the request traces on the dashboard.
                    o.Filter = ctx => !ctx.Request.Path.StartsWithSegments(HealthEndpointPath)
                                      && !ctx.Request.Path.StartsWithSegments(AlivenessEndpointPath);
                    // Called once the instrumentation has named the span after the route.
                    o.EnrichWithHttpResponse = (activity, response) =>
                    {
                        if (response.HttpContext.Items.TryGetValue(ServerSpanNameItem, out var name) && name is string spanName)
                        {
                            activity.DisplayName = spanName;
                        }
                    };
                })
                .AddHttpClientInstrumentation()
                // Redis commands as child spans of the request that sent them. Not Aspire.StackExchange.Redis's client
                // integration (AddRedisClient): it registers one multiplexer for a connection string known at start, and
                // the gateway's cache node is named by the orchestrator at run time and replaced after every restart. Its
                // instrumentation (this one) takes each node's multiplexer as it is made (CacheNodeConnection).
                .AddRedisInstrumentation(o => o.FlushInterval = TimeSpan.FromSeconds(1)));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Health endpoints are served in every environment: the AppHost and the deployment
        // (load balancer, systemd watchdog) both probe them. They reveal nothing but status, and need no credential
        // where the rest of a service does.
        app.MapHealthChecks(HealthEndpointPath).AllowAnonymous();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains("live"),
        }).AllowAnonymous();
        return app;
    }
}
