using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Objects;

namespace ReactiveCache.Orchestrator.Invalidation;

/// <summary>
/// Local runs: the folder store's watcher stands in for S3's event notifications, and its changes take the same path
/// (<see cref="ObjectInvalidator"/>). A file written raises several events in a row; those of one key that arrive
/// within <see cref="Settle"/> are handled once.
/// </summary>
public sealed class FolderChangeFeed(IObjectStore store, ObjectInvalidator invalidator, IOptions<InvalidationOptions> options,
    ILogger<FolderChangeFeed> logger) : BackgroundService
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store is not FolderObjectStore folder || !options.Value.WatchFolder)
        {
            return;
        }

        var changes = Channel.CreateUnbounded<ObjectChange>(new UnboundedChannelOptions { SingleReader = true });
        IDisposable watch;
        try
        {
            watch = folder.Watch(change => changes.Writer.TryWrite(change));
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
            while (await changes.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(Settle, stoppingToken);
                var batch = new Dictionary<string, ObjectChange>(StringComparer.Ordinal);
                while (changes.Reader.TryRead(out var change))
                {
                    batch[change.Key] = change;
                }

                foreach (var change in batch.Values)
                {
                    invalidator.Invalidate(change);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
