using System.ComponentModel.DataAnnotations;

namespace ReactiveCache.LambdaEmulator.Environments;

/// <summary>Configuration section <c>Emulator</c>: the functions and how environments live.</summary>
public sealed class EmulatorOptions : IValidatableObject
{
    public const string SectionName = "Emulator";

    /// <summary>Function name → how to start its execution environment.</summary>
    public Dictionary<string, FunctionDefinition> Functions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>An idle environment is reaped (its process killed) after this long (Lambda: minutes).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Execution environments alive at once, across functions (Lambda's account concurrency): a cold start at
    /// the limit reclaims an idle environment; with every one busy, the invoke is refused with 429.
    /// </summary>
    public int MaxConcurrency { get; set; } = 10;

    /// <summary>
    /// <c>host:port</c> the function processes reach the Runtime API at; empty: the emulator's own
    /// first http address, on loopback.
    /// </summary>
    public string? RuntimeApiAddress { get; set; }

    /// <summary>
    /// The access key id Invoke calls must be signed with (SigV4, as AWS requires); the AppHost generates the pair and
    /// gives it to the orchestrator too. Unset: every Invoke is refused.
    /// </summary>
    public string? AccessKey { get; set; }

    /// <summary>The secret key of <see cref="AccessKey"/> (configuration only).</summary>
    public string? SecretKey { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxConcurrency < 1)
        {
            yield return new ValidationResult("Emulator:MaxConcurrency must be at least 1.", [nameof(MaxConcurrency)]);
        }

        if (IdleTimeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Emulator:IdleTimeout must be positive.", [nameof(IdleTimeout)]);
        }

        if (string.IsNullOrEmpty(AccessKey) != string.IsNullOrEmpty(SecretKey))
        {
            yield return new ValidationResult("Emulator:AccessKey and Emulator:SecretKey go together.", [nameof(SecretKey)]);
        }

        foreach (var (name, function) in Functions)
        {
            if (string.IsNullOrWhiteSpace(function.Command))
            {
                yield return new ValidationResult($"Emulator:Functions:{name}:Command is required.", [nameof(Functions)]);
            }

            if (function.Timeout <= TimeSpan.Zero || function.Timeout > TimeSpan.FromMinutes(15))
            {
                yield return new ValidationResult($"Emulator:Functions:{name}:Timeout must be within (0, 15 min], as in Lambda.", [nameof(Functions)]);
            }
        }
    }
}
