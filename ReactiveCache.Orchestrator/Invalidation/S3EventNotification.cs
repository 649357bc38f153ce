using System.Net;
using System.Text.Json;
using ReactiveCache.Core.Objects;

namespace ReactiveCache.Orchestrator.Invalidation;

/// <summary>
/// Reads the object changes out of what S3 sends when objects change, however it arrives: S3's own notification
/// (<c>Records[].eventName</c> <c>ObjectCreated:*</c> / <c>ObjectRemoved:*</c>, keys URL-encoded), wrapped by SNS (the
/// notification is the <c>Message</c> string), by SQS (each record's <c>body</c> string) or sent by EventBridge
/// (<c>detail-type</c> "Object Created" / "Object Deleted", the key as it is in <c>detail.object.key</c>). S3's test
/// event and SNS's subscription messages carry no change. Written by hand: AWS's event libraries
/// (Amazon.Lambda.*Events) are not among the packages this build may use, and the orchestrator only needs two fields.
/// </summary>
public static class S3EventNotification
{
    /// <summary>How deep envelopes may nest (SQS around SNS around S3 is three).</summary>
    private const int MaxDepth = 4;

    /// <summary>One change: the bucket it names and the object key (already decoded).</summary>
    public readonly record struct Change(string Bucket, ObjectChange Object);

    /// <summary>
    /// The changes in <paramref name="json"/>; <c>false</c> with <paramref name="error"/> when it is not JSON or not a
    /// notification of any of these shapes.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> json, out List<Change> changes, out string? error) =>
        TryParse(json, out changes, out _, out error);

    /// <summary>
    /// As <see cref="TryParse(ReadOnlyMemory{byte}, out List{Change}, out string?)"/>, and the <c>SubscribeURL</c> of an
    /// SNS subscription confirmation (null for anything else; not checked here: see <see cref="SnsSubscription"/>).
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> json, out List<Change> changes, out string? subscribeUrl, out string? error)
    {
        changes = [];
        subscribeUrl = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            error = Read(document.RootElement, changes, ref subscribeUrl, 0);
        }
        catch (JsonException e)
        {
            error = $"The body is not JSON: {e.Message}";
        }

        return error is null;
    }

    private static string? Read(JsonElement root, List<Change> changes, ref string? subscribeUrl, int depth)
    {
        if (depth > MaxDepth || root.ValueKind != JsonValueKind.Object)
        {
            return "The body is not an S3 event notification (a JSON object with Records, an SNS Message, or an EventBridge detail).";
        }

        // SNS: the notification is a string inside; its confirmations and other messages carry no change.
        if (Text(root, "Type") is { } snsType)
        {
            if (snsType == "SubscriptionConfirmation")
            {
                subscribeUrl = Text(root, "SubscribeURL");
            }

            return snsType == "Notification" && Text(root, "Message") is { } message
                ? Nested(message, changes, ref subscribeUrl, depth)
                : null;
        }

        // EventBridge: one change per event, the key unencoded.
        if (root.TryGetProperty("detail", out var detail) && Text(root, "source") == "aws.s3")
        {
            var removed = Text(root, "detail-type") switch
            {
                "Object Created" => false,
                "Object Deleted" => true,
                _ => (bool?)null,
            };
            if (removed is { } isRemoved)
            {
                if (Text(Path(detail, "object"), "key") is not { } key)
                {
                    return "The EventBridge event has no detail.object.key.";
                }

                Add(changes, Text(Path(detail, "bucket"), "name") ?? "", key, isRemoved);
            }

            return null;
        }

        if (root.TryGetProperty("Records", out var records) && records.ValueKind == JsonValueKind.Array)
        {
            foreach (var record in records.EnumerateArray())
            {
                if (record.ValueKind != JsonValueKind.Object)
                {
                    return "A record is not a JSON object.";
                }

                // SQS: each message's body is a notification (S3's or SNS's) of its own.
                if (Text(record, "eventSource") == "aws:sqs" || (record.TryGetProperty("body", out _) && !record.TryGetProperty("s3", out _)))
                {
                    if (Text(record, "body") is not { } body)
                    {
                        return "An SQS record has no body.";
                    }

                    if (Nested(body, changes, ref subscribeUrl, depth) is { } nested)
                    {
                        return nested;
                    }

                    continue;
                }

                if (Text(record, "eventName") is not { } name)
                {
                    return "A record has no eventName.";
                }

                var removed = name.StartsWith("ObjectRemoved:", StringComparison.Ordinal) || name.StartsWith("LifecycleExpiration:", StringComparison.Ordinal);
                if (!removed && !name.StartsWith("ObjectCreated:", StringComparison.Ordinal))
                {
                    continue; // restores, replication, tagging…: the bytes did not change
                }

                var s3 = Path(record, "s3");
                if (Text(Path(s3, "object"), "key") is not { } encoded)
                {
                    return $"The {name} record has no s3.object.key.";
                }

                // S3 sends keys form-encoded: '+' for a space, %XX for the rest.
                Add(changes, Text(Path(s3, "bucket"), "name") ?? "", WebUtility.UrlDecode(encoded), removed);
            }

            return null;
        }

        // S3's test event when a notification is configured: valid, and no change.
        return Text(root, "Event") == "s3:TestEvent"
            ? null
            : "The body is not an S3 event notification (a JSON object with Records, an SNS Message, or an EventBridge detail).";
    }

    private static string? Nested(string json, List<Change> changes, ref string? subscribeUrl, int depth)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Read(document.RootElement, changes, ref subscribeUrl, depth + 1);
        }
        catch (JsonException e)
        {
            return $"A wrapped message is not JSON: {e.Message}";
        }
    }

    private static void Add(List<Change> changes, string bucket, string key, bool removed) =>
        changes.Add(new Change(bucket, new ObjectChange(key, removed)));

    private static JsonElement Path(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) ? child : default;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
