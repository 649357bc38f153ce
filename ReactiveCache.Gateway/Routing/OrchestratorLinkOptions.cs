using System.ComponentModel.DataAnnotations;

namespace ReactiveCache.Gateway.Routing;

/// <summary>
/// Configuration section <c>OrchestratorLink</c>: the gRPC stream to the orchestrator. The address defaults to
/// the one Aspire's <c>WithReference(orchestrator)</c> provides (<c>services:orchestrator:http:0</c>); with none,
/// the gateway runs alone (every key served by S3 or a configured node).
/// </summary>
public sealed class OrchestratorLinkOptions : IValidatableObject
{
    public const string SectionName = "OrchestratorLink";

    /// <summary>Where the orchestrator's gRPC endpoint is (HTTP/2; cleartext <c>http://</c> is prior-knowledge h2c).</summary>
    public string? Address { get; set; }

    /// <summary>
    /// This gateway's name, sent in Hello; the orchestrator keys routes and drains by it. Defaults to host and
    /// process id, so that replicas on one host differ; set it for a name that survives restarts.
    /// </summary>
    [Required]
    public string GatewayId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>
    /// The link secret shared with the orchestrator (its <c>GatewayLink:Secret</c>): the gateway takes routes, the
    /// cache node and drains only from an orchestrator that proves it holds it, and proves it in turn. From
    /// configuration only (the AppHost's generated parameter). Required when <see cref="Address"/> is set.
    /// </summary>
    public string? Secret { get; set; }

    [Range(16, 10_000_000)]
    public int EventQueueCapacity { get; set; } = 65_536;

    [Range(1, 100_000)]
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>How long a batch waits to fill before it is sent.</summary>
    [Range(0, 60_000)]
    public int BatchDelayMs { get; set; } = 50;

    [Range(1, 600_000)]
    public int ReconnectMinDelayMs { get; set; } = 200;

    [Range(1, 600_000)]
    public int ReconnectMaxDelayMs { get; set; } = 10_000;

    public bool Enabled => !string.IsNullOrWhiteSpace(Address);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && !Uri.TryCreate(Address, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("OrchestratorLink:Address must be an absolute URL.", [nameof(Address)]);
        }

        if (Enabled && (Secret is null || Secret.Length < Core.Link.GatewayLinkHandshake.MinimumSecretLength))
        {
            yield return new ValidationResult(
                $"OrchestratorLink:Secret must be set (at least {Core.Link.GatewayLinkHandshake.MinimumSecretLength} characters) when OrchestratorLink:Address is.", [nameof(Secret)]);
        }

        if (ReconnectMaxDelayMs < ReconnectMinDelayMs)
        {
            yield return new ValidationResult("OrchestratorLink:ReconnectMaxDelayMs must not be below ReconnectMinDelayMs.", [nameof(ReconnectMaxDelayMs)]);
        }
    }
}
