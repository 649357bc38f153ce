using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Objects;
using ReactiveCache.Domain;
using ReactiveCache.IntegrationTests.Infrastructure;
using ReactiveCache.Orchestrator.Gateways;
using ReactiveCache.Orchestrator.Invalidation;
using ReactiveCache.Testing;

namespace ReactiveCache.IntegrationTests.Orchestrator;

/// <summary>
/// An offline AWS (moto, loopback only) with the deployment's shape: a bucket whose ObjectCreated:* and
/// ObjectRemoved:* notifications go to an SQS queue. Moto delivers S3's notification to the queue itself, as S3 does.
/// </summary>
public sealed class SqsChangeFeedFixture : IAsyncLifetime
{
    public const string Bucket = "rc-feed-objects";
    public const string Region = "us-east-1";

    private MotoServer? _moto;

    public MotoServer Moto => _moto!;

    /// <summary>The queue S3 notifies (its URL on moto's loopback port).</summary>
    public string QueueUrl { get; private set; } = "";

    public ObjectStoreOptions Store => new()
    {
        Kind = ObjectStoreKind.S3,
        Bucket = Bucket,
        ServiceUrl = Moto.Url,
        ForcePathStyle = true,
        Region = Region,
    };

    public AmazonS3Client S3() => ObjectStoreRegistration.CreateS3Client(Store, Moto.Credentials);

    public AmazonSQSClient Sqs() =>
        SqsChangeFeedRegistration.CreateClient(new SqsChangeFeedOptions { QueueServiceUrl = Moto.Url, QueueRegion = Region }, Moto.Credentials);

    public async Task InitializeAsync()
    {
        _moto = await MotoServer.StartAsync();
        using var s3 = S3();
        using var sqs = Sqs();
        await s3.PutBucketAsync(Bucket);
        // Written before the notification exists: its later removal is the only event about it.
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "old.txt", ContentBody = "old" });

        QueueUrl = await CreateQueueAsync(sqs, "rc-feed-changes");
        var arn = (await sqs.GetQueueAttributesAsync(QueueUrl, ["QueueArn"])).QueueARN;
        await s3.PutBucketNotificationAsync(new PutBucketNotificationRequest
        {
            BucketName = Bucket,
            QueueConfigurations =
            [
                new QueueConfiguration { Queue = arn, Events = [EventType.ObjectCreatedAll, EventType.ObjectRemovedAll] },
            ],
        });
    }

    /// <summary>Creates a queue; its URL on moto's loopback endpoint, whatever host moto's own answer names.</summary>
    public async Task<string> CreateQueueAsync(IAmazonSQS sqs, string name)
    {
        var created = await sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = name,
            Attributes = new() { ["VisibilityTimeout"] = "2" },
        });
        return new Uri(new Uri(Moto.Url), new Uri(created.QueueUrl).AbsolutePath).ToString();
    }

    /// <summary>The messages still on the queue, visible or in flight.</summary>
    public async Task<int> MessagesLeftAsync(string queueUrl)
    {
        using var sqs = Sqs();
        var attributes = await sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
        return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible;
    }

    /// <summary>The real orchestrator in memory, reading <paramref name="queueUrl"/>; its AWS clients signed as moto's user.</summary>
    public OrchestratorFactory Orchestrator(string queueUrl) => new(settings: new Dictionary<string, string?>
        {
            // No earlier orchestrator's gateways to wait for: the routes the test sets are the only ones.
            ["Engine:ReconcileWindow"] = "00:00:00",
            ["ObjectStore:Kind"] = "S3",
            ["ObjectStore:Bucket"] = Bucket,
            ["ObjectStore:ServiceUrl"] = Moto.Url,
            ["ObjectStore:ForcePathStyle"] = "true",
            ["ObjectStore:Region"] = Region,
            ["Invalidation:QueueUrl"] = queueUrl,
            ["Invalidation:QueueServiceUrl"] = Moto.Url,
            ["Invalidation:QueueRegion"] = Region,
            ["Invalidation:QueueWaitSeconds"] = "1",
            ["Invalidation:QueueBackoff"] = "00:00:00.100",
            ["Invalidation:QueueMaxBackoff"] = "00:00:00.500",
        },
        services: services =>
        {
            // The orchestrator's own client construction, with moto's key pair instead of the default chain (which
            // would end at the instance metadata address, never to be dialled here).
            services.Replace(ServiceDescriptor.Singleton<IAmazonSQS>(sp =>
                SqsChangeFeedRegistration.CreateClient(sp.GetRequiredService<IOptions<SqsChangeFeedOptions>>().Value, Moto.Credentials)));
            services.Replace(ServiceDescriptor.Singleton<IAmazonS3>(_ => ObjectStoreRegistration.CreateS3Client(Store, Moto.Credentials)));
        });

    public async Task DisposeAsync()
    {
        if (_moto is not null)
        {
            await _moto.DisposeAsync();
        }
    }
}

/// <summary>
/// The deployed path of S3's change events: S3 → SQS → the orchestrator's <see cref="SqsChangeFeed"/> → the same
/// handler as <c>POST /invalidations</c>. A changed key routes back to S3, and each message is deleted once applied.
/// </summary>
public sealed class SqsChangeFeedTests(SqsChangeFeedFixture aws) : IClassFixture<SqsChangeFeedFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_written_and_a_removed_object_are_invalidated_from_the_queue_and_their_messages_deleted()
    {
        const string written = "photos/summer holiday+1.txt";
        await using var orchestrator = aws.Orchestrator(aws.QueueUrl);
        var gateways = orchestrator.Services.GetRequiredService<GatewaySessions>();
        var feed = orchestrator.Services.GetRequiredService<SqsChangeFeed>();
        gateways.SetRoute(written, CacheLayer.Redis);
        gateways.SetRoute("old.txt", CacheLayer.Lambda);
        using var s3 = aws.S3();
        using var sqs = aws.Sqs();

        // A message that is no S3 notification comes first: it is counted and deleted, and the feed goes on.
        await sqs.SendMessageAsync(aws.QueueUrl, "this is not a notification");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = SqsChangeFeedFixture.Bucket, Key = written, ContentBody = "new" });
        await s3.DeleteObjectAsync(SqsChangeFeedFixture.Bucket, "old.txt");

        await Eventually.HoldsAsync(() => gateways.Routes.Lookup(written) == CacheLayer.S3 && gateways.Routes.Lookup("old.txt") == CacheLayer.S3,
            Timeout, "both keys routed back to S3 by the queue's events", () => Describe(gateways, feed));
        await Eventually.HoldsAsync(async () => await aws.MessagesLeftAsync(aws.QueueUrl) == 0, Timeout, "every message deleted",
            () => Describe(gateways, feed), TimeSpan.FromMilliseconds(200));
        Assert.True(feed.Malformed >= 1, Describe(gateways, feed));
        Assert.True(feed.Applied >= 2, Describe(gateways, feed));
        Assert.Equal(0, feed.Failed);
    }

    [Fact]
    public async Task A_queue_that_is_not_there_is_polled_again_until_it_is_and_its_events_are_applied()
    {
        const string key = "later.txt";
        using var sqs = aws.Sqs();
        var queueUrl = $"{aws.Moto.Url}/123456789012/rc-feed-later";
        await using var orchestrator = aws.Orchestrator(queueUrl);
        var gateways = orchestrator.Services.GetRequiredService<GatewaySessions>();
        var feed = orchestrator.Services.GetRequiredService<SqsChangeFeed>();
        gateways.SetRoute(key, CacheLayer.Redis);

        await Eventually.HoldsAsync(() => feed.ReceiveFailures >= 3, Timeout, "receives failing while the queue is missing", () => Describe(gateways, feed));
        Assert.Equal(CacheLayer.Redis, gateways.Routes.Lookup(key));

        // The queue comes (back); the message is the JSON S3 sends for a PutObject, as it arrives in SQS.
        Assert.Equal(queueUrl, await aws.CreateQueueAsync(sqs, "rc-feed-later"));
        await sqs.SendMessageAsync(queueUrl, S3PutNotification(key));

        await Eventually.HoldsAsync(() => gateways.Routes.Lookup(key) == CacheLayer.S3, Timeout, "the key routed back to S3 once the queue answers",
            () => Describe(gateways, feed));
        await Eventually.HoldsAsync(async () => await aws.MessagesLeftAsync(queueUrl) == 0, Timeout, "the message deleted",
            () => Describe(gateways, feed), TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task The_endpoint_takes_the_same_notification_through_SNS_and_fetches_no_foreign_subscribe_url()
    {
        const string key = "posted.txt";
        await using var orchestrator = aws.Orchestrator(aws.QueueUrl);
        var gateways = orchestrator.Services.GetRequiredService<GatewaySessions>();
        gateways.SetRoute(key, CacheLayer.Redis);
        using var client = orchestrator.Client(OrchestratorFactory.OperatorKey);
        var sns = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["Type"] = "Notification", ["TopicArn"] = "arn:aws:sns:us-east-1:123456789012:changes", ["Message"] = S3PutNotification(key),
        });
        var confirmation = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["Type"] = "SubscriptionConfirmation", ["Token"] = "t", ["SubscribeURL"] = $"{aws.Moto.Url}/?Action=ConfirmSubscription&Token=t",
        });

        using var notified = await client.PostAsync("/invalidations", new StringContent(sns, System.Text.Encoding.UTF8, "text/plain"));
        using var confirmed = await client.PostAsync("/invalidations", new StringContent(confirmation, System.Text.Encoding.UTF8, "text/plain"));

        Assert.Equal(System.Net.HttpStatusCode.Accepted, notified.StatusCode);
        Assert.Equal(CacheLayer.S3, gateways.Routes.Lookup(key));
        // Accepted, not confirmed: the URL is not SNS's, so it was never requested.
        Assert.Equal(System.Net.HttpStatusCode.Accepted, confirmed.StatusCode);
        Assert.Contains("\"subscriptionConfirmed\":false", await confirmed.Content.ReadAsStringAsync());
    }

    private static string Describe(GatewaySessions gateways, SqsChangeFeed feed) =>
        $"routes: {string.Join(", ", gateways.Routes.Routes.Select(r => $"{r.Key}={r.Value}"))}; applied {feed.Applied}, malformed {feed.Malformed}, " +
        $"failed {feed.Failed}, receive failures {feed.ReceiveFailures}";

    /// <summary>S3's notification of a PutObject, field for field as S3 documents it (event structure version 2.1).</summary>
    private static string S3PutNotification(string key) => """
        {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1","eventTime":"2026-01-01T00:00:00.000Z",
        "eventName":"ObjectCreated:Put","userIdentity":{"principalId":"AWS:AIDAEXAMPLE"},"requestParameters":{"sourceIPAddress":"127.0.0.1"},
        "responseElements":{"x-amz-request-id":"C3D13FE58DE4C810","x-amz-id-2":"FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"},
        "s3":{"s3SchemaVersion":"1.0","configurationId":"object-changes","bucket":{"name":"@bucket@",
        "ownerIdentity":{"principalId":"A3NL1KOZZKExample"},"arn":"arn:aws:s3:::@bucket@"},
        "object":{"key":"@key@","size":3,"eTag":"d41d8cd98f00b204e9800998ecf8427e","sequencer":"0055AED6DCD90281E5"}}}]}
        """.Replace("@bucket@", SqsChangeFeedFixture.Bucket).Replace("@key@", Uri.EscapeDataString(key));
}
