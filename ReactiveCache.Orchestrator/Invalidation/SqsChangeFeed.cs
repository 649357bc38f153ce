using System.Text;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Options;
using ReactiveCache.Orchestrator.Telemetry;

namespace ReactiveCache.Orchestrator.Invalidation;

/// <summary>
/// On AWS: S3 sends the object bucket's event notifications to an SQS queue, and this feed long-polls it (the
/// orchestrator has no address S3 could call). Each message's body goes through <see cref="S3NotificationHandler"/>,
/// the same path as <c>POST /invalidations</c>, and the message is deleted only once its changes have been handed to
/// the invalidator: a message whose handling failed (or that was received just before a crash) comes back after the
/// queue's visibility timeout, and after the queue's receive limit goes to its dead-letter queue. Invalidating twice
/// is harmless. A message that is not an S3 notification at all is logged, counted and deleted: it would never
/// parse, and coming back would only repeat the error. A failing queue (down, refused, throttled) is logged and
/// polled again after a backoff that doubles up to a cap; it never stops the orchestrator.
/// </summary>
public sealed partial class SqsChangeFeed(IServiceProvider services, S3NotificationHandler handler, IOptions<SqsChangeFeedOptions> options,
    TimeProvider time, ILogger<SqsChangeFeed> logger) : BackgroundService
{
    private long _applied;
    private long _malformed;
    private long _failed;
    private long _receiveFailures;

    /// <summary>Messages whose changes were applied (and then deleted).</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Messages that were not S3 notifications (deleted).</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Messages whose handling failed (left on the queue for redelivery).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Receives that failed (the queue down, refused or missing).</summary>
    public long ReceiveFailures => Interlocked.Read(ref _receiveFailures);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        // Created only here: without a queue (local runs) no SQS client, and no region, is needed.
        var sqs = services.GetRequiredService<IAmazonSQS>();
        LogReading(settings.QueueUrl!);
        var backoff = settings.QueueBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            List<Message> messages;
            try
            {
                var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
                {
                    QueueUrl = settings.QueueUrl,
                    MaxNumberOfMessages = settings.QueueBatchSize,
                    WaitTimeSeconds = settings.QueueWaitSeconds,
                }, stoppingToken);
                messages = received.Messages ?? [];
                backoff = settings.QueueBackoff;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref _receiveFailures);
                Count("receive_failed");
                LogReceiveFailed(e, backoff);
                try
                {
                    await Task.Delay(backoff, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, settings.QueueMaxBackoff.Ticks));
                continue;
            }

            await Parallel.ForEachAsync(messages,
                new ParallelOptions { MaxDegreeOfParallelism = settings.QueueConcurrency, CancellationToken = CancellationToken.None },
                async (message, _) => await HandleAsync(sqs, settings.QueueUrl!, message, stoppingToken));
        }
    }

    private async Task HandleAsync(IAmazonSQS sqs, string queueUrl, Message message, CancellationToken stoppingToken)
    {
        Count("received");
        try
        {
            var (result, error) = await handler.ApplyAsync(Encoding.UTF8.GetBytes(message.Body ?? ""), stoppingToken);
            if (result is not null)
            {
                Interlocked.Increment(ref _applied);
                Count("applied");
                LogApplied(message.MessageId, result.Invalidated.Count, result.Ignored);
            }
            else
            {
                Interlocked.Increment(ref _malformed);
                Count("malformed");
                LogMalformed(message.MessageId, error ?? "", Excerpt(message.Body));
            }
        }
        catch (Exception e)
        {
            // Left on the queue: it comes back after the visibility timeout (and, failing again and again, goes to the DLQ).
            Interlocked.Increment(ref _failed);
            Count("failed");
            LogFailed(e, message.MessageId);
            return;
        }

        try
        {
            await sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // Applied, not deleted: it comes back and is applied again, which changes nothing more.
            Count("delete_failed");
            LogDeleteFailed(e, message.MessageId);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static void Count(string outcome) =>
        OrchestratorTelemetry.QueueMessages.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    private static string Excerpt(string? body) => body is null ? "" : body.Length <= 200 ? body : body[..200] + "…";

    [LoggerMessage(LogLevel.Information, "Reading S3's change notifications from the queue {QueueUrl}")]
    private partial void LogReading(string queueUrl);

    [LoggerMessage(LogLevel.Debug, "Queue message {MessageId}: {Invalidated} keys invalidated, {Ignored} changes not ours")]
    private partial void LogApplied(string messageId, int invalidated, int ignored);

    [LoggerMessage(LogLevel.Warning, "Queue message {MessageId} is not an S3 notification and is deleted: {Error} (body: {Body})")]
    private partial void LogMalformed(string messageId, string error, string body);

    [LoggerMessage(LogLevel.Error, "Queue message {MessageId} could not be applied; it stays on the queue for redelivery")]
    private partial void LogFailed(Exception failure, string messageId);

    [LoggerMessage(LogLevel.Warning, "Queue message {MessageId} was applied but not deleted; it will be applied again when it comes back")]
    private partial void LogDeleteFailed(Exception failure, string messageId);

    [LoggerMessage(LogLevel.Warning, "Receiving from the change queue failed; trying again in {Backoff}")]
    private partial void LogReceiveFailed(Exception failure, TimeSpan backoff);
}
