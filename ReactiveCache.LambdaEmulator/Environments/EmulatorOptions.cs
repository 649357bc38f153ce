using System.ComponentModel.DataAnnotations;
using ReactiveCache.Core.Aws;

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
    /// With <see cref="SecretAccessKey"/>: the one AWS key pair whose SigV4 signature the Invoke API accepts, as
    /// Lambda checks it (so the orchestrator's AWS invoker runs unchanged against the emulator). Neither set:
    /// Invoke takes unsigned requests.
    /// </summary>
    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }

    /// <summary>The key pair Invoke requests must be signed with, or null when signatures are not checked.</summary>
    public SigV4Credentials? SigningCredentials =>
        string.IsNullOrEmpty(AccessKeyId) || string.IsNullOrEmpty(SecretAccessKey) ? null : new(AccessKeyId, SecretAccessKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(AccessKeyId) != string.IsNullOrEmpty(SecretAccessKey))
        {
            yield return new ValidationResult("Emulator:AccessKeyId and Emulator:SecretAccessKey go together: set both to check signatures, or neither.",
                [nameof(AccessKeyId), nameof(SecretAccessKey)]);
        }

        if (MaxConcurrency < 1)
        {
            yield return new ValidationResult("Emulator:MaxConcurrency must be at least 1.", [nameof(MaxConcurrency)]);
        }

        if (IdleTimeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Emulator:IdleTimeout must be positive.", [nameof(IdleTimeout)]);
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
