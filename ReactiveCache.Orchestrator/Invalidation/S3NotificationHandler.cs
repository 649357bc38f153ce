using Microsoft.Extensions.Options;
using ReactiveCache.Core.Objects;

namespace ReactiveCache.Orchestrator.Invalidation;

/// <summary>
/// One S3 event notification, however it came (<c>POST /invalidations</c> or a message of the SQS queue): read by
/// <see cref="S3EventNotification"/>, each change of this bucket's objects handed to <see cref="ObjectInvalidator"/>,
/// and an SNS subscription confirmation confirmed (<see cref="SnsSubscription"/>). The endpoint and the queue feed both
/// go through here, so they accept and ignore exactly the same things.
/// </summary>
public sealed class S3NotificationHandler(ObjectInvalidator invalidator, SnsSubscription subscription, IOptions<ObjectStoreOptions> store)
{
    /// <summary>
    /// Applies the notification in <paramref name="body"/>: an <c>Error</c> when it is not one (nothing is invalidated
    /// then); else the <c>Result</c>, once every change it names has been handed to the invalidator.
    /// </summary>
    public async Task<(InvalidationResult? Result, string? Error)> ApplyAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (!S3EventNotification.TryParse(body, out var changes, out var subscribeUrl, out var error))
        {
            return (null, error ?? "The body is not an S3 event notification.");
        }

        var invalidated = new List<string>();
        var ignored = 0;
        foreach (var change in changes)
        {
            // Another bucket's objects, or keys no gateway would serve, are not ours to drop.
            if ((store.Value.Bucket is { } bucket && change.Bucket.Length > 0 && change.Bucket != bucket) || !ObjectKey.IsValid(change.Object.Key))
            {
                ignored++;
                continue;
            }

            invalidator.Invalidate(change.Object);
            invalidated.Add(change.Object.Key);
        }

        var confirmed = subscribeUrl is not null && await subscription.ConfirmAsync(subscribeUrl, cancellationToken);
        return (new InvalidationResult(invalidated, ignored, confirmed), null);
    }
}
