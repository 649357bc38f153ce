using Microsoft.Extensions.Options;
using ReactiveCache.Core.Objects;
using ReactiveCache.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.Engine;

namespace ReactiveCache.Orchestrator.Invalidation;

/// <summary>
/// Bounds staleness when no change event comes: every copy on the node last known current more than
/// <see cref="InvalidationOptions.MaxAge"/> ago is revalidated (on the node's work queue, in line with its loads and
/// evictions): unchanged, nothing moves; changed, the new version replaces it; removed, it is invalidated everywhere.
/// (Functions revalidate their own copies with the same age: it is in their payload.)
/// </summary>
public sealed class CopyRevalidator(NodeLoader loader, NodeCommands node, NodeWorkQueue nodeWork, ObjectInvalidator invalidator,
    IOptions<InvalidationOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var maxAge = options.Value.MaxAge;
        if (maxAge <= TimeSpan.Zero)
        {
            return;
        }

        // Looked at four times per max-age: a copy is at most 1¼ max-ages old when it is revalidated.
        using var timer = new PeriodicTimer(maxAge / 4, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var key in loader.DueForRevalidation(time.GetUtcNow() - maxAge))
                {
                    nodeWork.Enqueue("revalidate", async ct =>
                    {
                        if (await node.RevalidateAsync(key, ct) == ReadStatus.Missing)
                        {
                            invalidator.Invalidate(new ObjectChange(key, Removed: true));
                        }
                    });
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
