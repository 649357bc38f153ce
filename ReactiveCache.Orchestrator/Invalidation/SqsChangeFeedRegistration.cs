using Amazon.Runtime;
using Amazon.SQS;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Aws;

namespace ReactiveCache.Orchestrator.Invalidation;

public static class SqsChangeFeedRegistration
{
    /// <summary>The queue feed (<see cref="SqsChangeFeed"/>), which reads a queue only when <c>Invalidation:QueueUrl</c> is set.</summary>
    public static IHostApplicationBuilder AddSqsChangeFeed(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SqsChangeFeedOptions>()
            .BindConfiguration(SqsChangeFeedOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Credentials: the default AWS chain (the instance role on AWS), never configuration.
        builder.Services.AddSingleton<IAmazonSQS>(sp => CreateClient(sp.GetRequiredService<IOptions<SqsChangeFeedOptions>>().Value));
        builder.Services.AddSingleton<SqsChangeFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SqsChangeFeed>());
        return builder;
    }

    public static AmazonSQSClient CreateClient(SqsChangeFeedOptions options, AWSCredentials? credentials = null)
    {
        // A long poll holds its request for up to QueueWaitSeconds: each attempt may take that and some more, never
        // the SDK's 100 s default. Retries bounded; the feed's own backoff takes over after them.
        var config = new AmazonSQSConfig
        {
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = 2,
            Timeout = TimeSpan.FromSeconds(options.QueueWaitSeconds + 10),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        }.UseEndpoint(options.QueueServiceUrl, options.QueueRegion);
        return credentials is null ? new AmazonSQSClient(config) : new AmazonSQSClient(credentials, config);
    }
}
