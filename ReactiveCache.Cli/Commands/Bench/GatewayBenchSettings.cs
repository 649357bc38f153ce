namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>How <c>bench gateway</c> measures (its options, clamped).</summary>
/// <param name="Duration">Measured per target and object, per round.</param>
/// <param name="Warmup">Before each measurement, not measured.</param>
/// <param name="Connections">Concurrent connections of the closed-loop load generator.</param>
/// <param name="Rounds">Rounds, alternating the targets, pooled per target.</param>
/// <param name="Telemetry">The gateway runs with the service defaults (OpenTelemetry instrumentation).</param>
/// <param name="Lambda">The Lambda path's programs; null: no Lambda row.</param>
/// <param name="Nginx">Measure the peer, nginx with proxy_cache (when installed).</param>
public sealed record GatewayBenchSettings(TimeSpan Duration, TimeSpan Warmup, int Connections, int Rounds, bool Telemetry, LambdaSetup? Lambda, bool Nginx = true);
