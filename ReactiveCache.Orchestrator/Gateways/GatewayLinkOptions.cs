using System.ComponentModel.DataAnnotations;
using ReactiveCache.Core.Link;

namespace ReactiveCache.Orchestrator.Gateways;

/// <summary>Configuration section <c>GatewayLink</c>: the secret the gateways prove they hold (from configuration only).</summary>
public sealed class GatewayLinkOptions : IValidatableObject
{
    public const string SectionName = "GatewayLink";

    /// <summary>
    /// The link secret shared with the gateways (their <c>OrchestratorLink:Secret</c>): each side proves it holds it
    /// before the other trusts the stream. Unset: every gateway is refused.
    /// </summary>
    public string? Secret { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Secret is not null && Secret.Length < GatewayLinkHandshake.MinimumSecretLength)
        {
            yield return new ValidationResult($"GatewayLink:Secret must have at least {GatewayLinkHandshake.MinimumSecretLength} characters.", [nameof(Secret)]);
        }
    }
}
