using System.ComponentModel.DataAnnotations;
using ReactiveCache.Domain;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>Configuration section <c>SizeLimits</c>: the largest object each layer may hold (see <see cref="LayerSizeLimits"/>).</summary>
public sealed class SizeLimitsOptions : IValidatableObject
{
    public const string SectionName = "SizeLimits";

    private const long MiB = 1024 * 1024;

    /// <summary>
    /// The function's configured memory in MB (Lambda's <c>MemorySize</c>; the stack passes its <c>FunctionMemory</c>):
    /// the function's limit is derived from it (<see cref="LayerSizeLimits.FunctionMaxBytesFor"/>) unless
    /// <see cref="FunctionMaxBytes"/> is set.
    /// </summary>
    [Range(LayerSizeLimits.FunctionRuntimeReserveMb + 1, 10240)]
    public int FunctionMemoryMb { get; set; } = LayerSizeLimits.FunctionDefaultMemoryMb;

    /// <summary>The largest object a function holds; null (the default): derived from <see cref="FunctionMemoryMb"/>.</summary>
    [Range(1L, long.MaxValue)]
    public long? FunctionMaxBytes { get; set; }

    /// <summary>The largest object loaded onto the cache node (a Redis-protocol server takes values up to 512 MB by default).</summary>
    [Range(1L, long.MaxValue)]
    public long NodeMaxBytes { get; set; } = LayerSizeLimits.NodeDefaultMaxBytes;

    public LayerSizeLimits ToLimits() => new(FunctionMaxBytes ?? LayerSizeLimits.FunctionMaxBytesFor(FunctionMemoryMb), NodeMaxBytes);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (FunctionMaxBytes > FunctionMemoryMb * MiB)
        {
            yield return new ValidationResult(
                $"SizeLimits:FunctionMaxBytes ({FunctionMaxBytes}) is more than the function's memory (SizeLimits:FunctionMemoryMb, {FunctionMemoryMb} MB): it could not hold such an object.",
                [nameof(FunctionMaxBytes)]);
        }
    }
}
