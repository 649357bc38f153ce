using Microsoft.Extensions.Options;
using ReactiveCache.Core.Objects;

namespace ReactiveCache.Orchestrator.Invalidation;

/// <summary>
/// Local runs: the folder store's watcher stands in for S3's event notifications, and its changes take the same path
/// (<see cref="ObjectInvalidator"/>). A file written raises several events in a row; those of one key that arrive
/// within <see cref="Settle"/> are handled once. The changes wait in a bounded <see cref="ObjectChangeQueue"/>: should one
/// be dropped, every cached copy is invalidated (<see cref="ObjectInvalidator.InvalidateEverything"/>), never left stale.
/// </summary>
public sealed class FolderChangeFeed(IObjectStore store, ObjectInvalidator invalidator, IOptions<InvalidationOptions> options, TimeProvider time,
    ILogger<FolderChangeFeed> logger) : BackgroundService
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store is not FolderObjectStore folder || !options.Value.WatchFolder)
        {
            return;
        }

        var changes = new ObjectChangeQueue(options.Value.FeedCapacity);
        IDisposable watch;
        try
        {
            watch = folder.Watch(changes.Write, lost =>
            {
                // The watcher's buffer overflowed (or it failed): a change may be lost, so every cached copy is treated as changed.
                logger.LogWarning("The object folder's watcher lost events ({Reason}): every cached copy is invalidated", lost.Message);
                changes.Lost();
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The orchestrator goes on without the feed (max-age revalidation and the invalidation endpoint still work).
            logger.LogError(e, "Cannot watch the object folder: changed files are not invalidated until their max-age");
            return;
        }

        using var _ = watch;
        logger.LogInformation("Watching the object folder: a changed file is invalidated on every layer");
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                invalidator.Apply(await changes.ReadBatchAsync(Settle, time, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
