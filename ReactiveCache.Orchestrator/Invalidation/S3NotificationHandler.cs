using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Objects;

namespace ReactiveCache.Orchestrator.Invalidation;

/// <summary>
/// One S3 event notification, however it came (<c>POST /invalidations</c> or a message of the SQS queue): read by
/// <see cref="S3EventNotification"/>, each change of this bucket's objects handed to <see cref="ObjectInvalidator"/>.
/// The endpoint and the queue feed both go through here, so they accept and ignore exactly the same things.
/// </summary>
public sealed class S3NotificationHandler(ObjectInvalidator invalidator, IOptions<ObjectStoreOptions> store)
{
    /// <summary>
    /// Applies the notification in <paramref name="body"/>: <c>false</c> with <paramref name="error"/> when it is not
    /// one (nothing is invalidated then); <c>true</c> once every change it names has been handed to the invalidator.
    /// </summary>
    public bool TryApply(ReadOnlyMemory<byte> body, [NotNullWhen(true)] out InvalidationResult? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        if (!S3EventNotification.TryParse(body, out var changes, out error))
        {
            error ??= "The body is not an S3 event notification.";
            return false;
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

        result = new InvalidationResult(invalidated, ignored);
        return true;
    }
}
