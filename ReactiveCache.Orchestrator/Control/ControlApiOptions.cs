using System.ComponentModel.DataAnnotations;

namespace ReactiveCache.Orchestrator.Control;

/// <summary>
/// Configuration section <c>ControlApi</c>: who may use the operator's API and where it listens. Keys come from
/// configuration only (the AppHost generates <c>control-api-key</c> as a secret parameter).
/// </summary>
public sealed class ControlApiOptions : IValidatableObject
{
    public const string SectionName = "ControlApi";

    public const int MinimumKeyLength = 32;

    /// <summary>The operator's key: every endpoint (reads and changes). Unset: every request but <c>/health</c> and <c>/alive</c> is refused.</summary>
    public string? Key { get; set; }

    /// <summary>An optional read-only key: the GET endpoints only (a change with it is 403).</summary>
    public string? ReadKey { get; set; }

    /// <summary>
    /// The local port the control API answers on (the AppHost's <c>http</c> endpoint). Set: the control API answers
    /// only there, and the gRPC links of gateways and functions only on the other ports, so what functions must reach
    /// does not expose the operator's API. Unset (one endpoint for everything): no separation.
    /// </summary>
    [Range(1, 65535)]
    public int? Port { get; set; }

    /// <summary>
    /// Browser origins allowed to call the API (<c>ControlApi:AllowedOrigins:0</c>, …) besides the API's own: a
    /// request whose <c>Origin</c> is any other site is refused with 403, whatever it carries.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, key) in new[] { (nameof(Key), Key), (nameof(ReadKey), ReadKey) })
        {
            if (key is not null && key.Length < MinimumKeyLength)
            {
                yield return new ValidationResult($"ControlApi:{name} must have at least {MinimumKeyLength} characters.", [name]);
            }
        }
    }
}
