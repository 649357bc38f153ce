using System.ComponentModel.DataAnnotations;

namespace ReactiveCache.Orchestrator.Invalidation;

/// <summary>
/// Configuration section <c>Invalidation</c>, the SQS queue that S3's event notifications of the object bucket go to
/// (deploy/stack.yaml creates it). Without <see cref="QueueUrl"/> no queue is read.
/// </summary>
public sealed class SqsChangeFeedOptions : IValidatableObject
{
    public const string SectionName = InvalidationOptions.SectionName;

    /// <summary>The queue's URL (<c>https://sqs.REGION.amazonaws.com/ACCOUNT/NAME</c>); empty: no queue is read.</summary>
    public string? QueueUrl { get; set; }

    /// <summary>The queue's region; empty for the SDK's default resolution (on EC2, the instance's region).</summary>
    public string? QueueRegion { get; set; }

    /// <summary>An SQS-compatible endpoint instead of AWS's (moto in the tests), as <c>ObjectStore:ServiceUrl</c> is for S3.</summary>
    public string? QueueServiceUrl { get; set; }

    /// <summary>How long one receive waits for a message (SQS long polling: at most 20 s; fewer, cheaper requests).</summary>
    [Range(0, 20)]
    public int QueueWaitSeconds { get; set; } = 20;

    /// <summary>Messages asked for at once (SQS gives at most 10).</summary>
    [Range(1, 10)]
    public int QueueBatchSize { get; set; } = 10;

    /// <summary>Messages of one batch handled at the same time.</summary>
    [Range(1, 10)]
    public int QueueConcurrency { get; set; } = 4;

    /// <summary>The wait after the first failed receive; it doubles at each failure in a row up to <see cref="QueueMaxBackoff"/>.</summary>
    public TimeSpan QueueBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two receives while the queue fails.</summary>
    public TimeSpan QueueMaxBackoff { get; set; } = TimeSpan.FromMinutes(1);

    public bool Enabled => !string.IsNullOrWhiteSpace(QueueUrl);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && !Uri.TryCreate(QueueUrl, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("Invalidation:QueueUrl must be the queue's absolute URL.", [nameof(QueueUrl)]);
        }

        if (!string.IsNullOrWhiteSpace(QueueServiceUrl) && !Uri.TryCreate(QueueServiceUrl, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("Invalidation:QueueServiceUrl must be an absolute URL.", [nameof(QueueServiceUrl)]);
        }

        if (QueueBackoff <= TimeSpan.Zero || QueueMaxBackoff < QueueBackoff)
        {
            yield return new ValidationResult("Invalidation:QueueBackoff must be positive and Invalidation:QueueMaxBackoff no shorter.",
                [nameof(QueueBackoff), nameof(QueueMaxBackoff)]);
        }
    }
}
