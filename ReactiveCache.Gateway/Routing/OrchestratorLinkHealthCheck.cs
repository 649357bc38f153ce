using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ReactiveCache.Gateway.Routing;

/// <summary>Degraded (the gateway still serves, from S3) while the link to the orchestrator is down.</summary>
public sealed class OrchestratorLinkHealthCheck(OrchestratorLink link, IOptions<OrchestratorLinkOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(!options.Value.Enabled
            ? HealthCheckResult.Healthy("No orchestrator configured.")
            : link.IsConnected
                ? HealthCheckResult.Healthy($"Linked ({link.Sessions} sessions so far).")
                : HealthCheckResult.Degraded("Orchestrator link down: serving with the last routes, reconnecting."));
}
