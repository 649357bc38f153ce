using System.ComponentModel.DataAnnotations;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.Orchestrator.Functions;

/// <summary>Configuration section <c>Tunnel</c>: the secret shared with the gateways (from configuration only).</summary>
public sealed class TunnelSecretOptions : IValidatableObject
{
    public const string SectionName = "Tunnel";

    /// <summary>HMAC secret for invocation tokens; unset: functions cannot be started.</summary>
    public string? Secret { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Secret is not null && Secret.Length < TunnelToken.MinimumSecretLength)
        {
            yield return new ValidationResult($"Tunnel:Secret must have at least {TunnelToken.MinimumSecretLength} characters.", [nameof(Secret)]);
        }
    }
}
