using System.Text;
using System.Text.Json;
using ReactiveCache.Core.Objects;
using ReactiveCache.Orchestrator.Invalidation;

namespace ReactiveCache.UnitTests.Orchestrator.Invalidation;

/// <summary>The S3 event notifications the invalidation endpoint reads, in each envelope S3's events arrive in.</summary>
public sealed class S3EventNotificationTests
{
    /// <summary>What S3 sends for one change (shortened to the fields that matter and a few that do not).</summary>
    private static string S3Event(string eventName, string encodedKey, string bucket = "objects") => """
        {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"eu-central-1","eventTime":"2026-11-30T07:00:00.000Z",
          "eventName":"@eventName@","s3":{"s3SchemaVersion":"1.0","configurationId":"invalidate",
          "bucket":{"name":"@bucket@","arn":"arn:aws:s3:::@bucket@"},
          "object":{"key":"@encodedKey@","size":1024,"eTag":"0123456789abcdef0123456789abcdef","sequencer":"0A1B2C3D4E5F678901"}}}]}
        """.Replace("@eventName@", eventName).Replace("@encodedKey@", encodedKey).Replace("@bucket@", bucket);

    private static string Sns(string message) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["Type"] = "Notification",
        ["MessageId"] = "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
        ["TopicArn"] = "arn:aws:sns:eu-central-1:111122223333:object-changes",
        ["Subject"] = "Amazon S3 Notification",
        ["Message"] = message,
    });

    private static string Sqs(params string[] bodies) => JsonSerializer.Serialize(new
    {
        Records = bodies.Select((body, i) => new Dictionary<string, string>
        {
            ["messageId"] = $"m{i}",
            ["body"] = body,
            ["eventSource"] = "aws:sqs",
            ["awsRegion"] = "eu-central-1",
        }),
    });

    private static string EventBridge(string detailType, string key) => """
        {"version":"0","id":"17793124-05d4-b198-2fde-7ededc63b103","detail-type":"@detailType@","source":"aws.s3",
         "account":"111122223333","time":"2026-11-30T07:00:00Z","region":"eu-central-1","resources":["arn:aws:s3:::objects"],
         "detail":{"version":"0","bucket":{"name":"objects"},"object":{"key":"@key@","size":5,"etag":"b1946ac92492d2347c6235b4d2611184"},
         "request-id":"N4N7GDK58NMKJ12R","requester":"123456789012","reason":"PutObject"}}
        """.Replace("@detailType@", detailType).Replace("@key@", key);

    [Fact]
    public void S3s_own_notification_names_the_written_object_with_its_key_decoded() =>
        Assert.Equal([new S3EventNotification.Change("objects", new ObjectChange("photos/summer holiday/a+b.jpg", false))],
            Parse(S3Event("ObjectCreated:Put", "photos/summer+holiday/a%2Bb.jpg")));

    [Theory]
    [InlineData("ObjectRemoved:Delete")]
    [InlineData("ObjectRemoved:DeleteMarkerCreated")]
    [InlineData("LifecycleExpiration:Delete")]
    public void A_removal_is_a_change_that_removed_the_object(string eventName) =>
        Assert.Equal([new ObjectChange("index.html", true)], Parse(S3Event(eventName, "index.html")).Select(c => c.Object));

    [Theory]
    [InlineData("ObjectRestore:Completed")]
    [InlineData("ObjectTagging:Put")]
    [InlineData("Replication:OperationReplicatedAfterThreshold")]
    public void Events_that_leave_the_bytes_alone_change_nothing(string eventName) =>
        Assert.Empty(Parse(S3Event(eventName, "index.html")));

    [Fact]
    public void Through_sns_the_notification_is_the_message_string() =>
        Assert.Equal([new ObjectChange("1KB.txt", false)], Parse(Sns(S3Event("ObjectCreated:CompleteMultipartUpload", "1KB.txt"))).Select(c => c.Object));

    [Fact]
    public void Through_sqs_each_body_is_a_notification_of_its_own_even_one_wrapped_by_sns() =>
        Assert.Equal([new ObjectChange("a.txt", false), new ObjectChange("b.txt", true)],
            Parse(Sqs(S3Event("ObjectCreated:Copy", "a.txt"), Sns(S3Event("ObjectRemoved:Delete", "b.txt")))).Select(c => c.Object));

    [Fact]
    public void From_eventbridge_the_detail_names_the_object_unencoded() =>
        Assert.Equal([new ObjectChange("logs/2026-11-30T07:00:00.txt", false), new ObjectChange("x+y.txt", true)],
            Parse(EventBridge("Object Created", "logs/2026-11-30T07:00:00.txt")).Concat(Parse(EventBridge("Object Deleted", "x+y.txt"))).Select(c => c.Object));

    [Fact]
    public void The_test_event_and_an_sns_subscription_confirmation_are_valid_and_change_nothing()
    {
        Assert.Empty(Parse("""{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-11-30T07:00:00.000Z","Bucket":"objects"}"""));
        Assert.Empty(Parse("""{"Type":"SubscriptionConfirmation","Message":"You have chosen to subscribe…","SubscribeURL":"https://sns.example/confirm"}"""));
        Assert.Empty(Parse(EventBridge("Object Restore Completed", "a.txt")));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"Records\": [")]
    [InlineData("[1, 2]")]
    [InlineData("{\"hello\": \"world\"}")]
    [InlineData("{\"Records\": [{\"eventName\": \"ObjectCreated:Put\"}]}")]
    [InlineData("{\"Records\": [{\"eventName\": \"ObjectCreated:Put\", \"s3\": {\"object\": {\"key\": 5}}}]}")]
    [InlineData("{\"Type\": \"Notification\", \"Message\": \"not json\"}")]
    [InlineData("{\"Records\": [{\"eventSource\": \"aws:sqs\", \"body\": \"{}\"}]}")]
    public void Anything_else_is_refused_with_a_reason(string body)
    {
        Assert.False(S3EventNotification.TryParse(Encoding.UTF8.GetBytes(body), out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    private static List<S3EventNotification.Change> Parse(string json)
    {
        Assert.True(S3EventNotification.TryParse(Encoding.UTF8.GetBytes(json), out var changes, out var error), error);
        return changes;
    }
}
