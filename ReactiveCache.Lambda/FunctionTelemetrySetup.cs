using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ReactiveCache.Lambda;

/// <summary>
/// Exports the function's spans over OTLP when an endpoint is configured (the emulator passes the
/// dashboard's on; on AWS, an OTLP collector layer would), and not at all otherwise: no listener, no cost.
/// </summary>
public static class FunctionTelemetrySetup
{
    public static WebApplicationBuilder AddFunctionTelemetry(this WebApplicationBuilder builder)
    {
        var endpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(endpoint) || string.Equals(builder.Configuration["OTEL_SDK_DISABLED"], "true", StringComparison.OrdinalIgnoreCase))
        {
            return builder;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["AWS_LAMBDA_FUNCTION_NAME"] ?? "reactive-cache-function",
                serviceInstanceId: builder.Configuration["AWS_LAMBDA_LOG_STREAM_NAME"]))
            .WithTracing(tracing => tracing
                .AddSource(FunctionTelemetry.Function.Name, FunctionTelemetry.Tunnel.Name))
            .UseOtlpExporter();
        return builder;
    }
}
