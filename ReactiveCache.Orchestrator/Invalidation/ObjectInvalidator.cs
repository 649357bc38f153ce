using ReactiveCache.Core.Objects;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.Engine;
using ReactiveCache.Orchestrator.Functions;
using ReactiveCache.Orchestrator.Gateways;

namespace ReactiveCache.Orchestrator.Invalidation;

/// <summary>
/// Takes every cached copy of a changed object out of service, on every layer, at once: the gateways route the key to
/// S3, the function holding it is told to end, its entry on the node is deleted (after any load of it already under
/// way, on the node's work queue), and the policy hears <see cref="PolicyEventKind.ObjectChanged"/> so that it starts
/// the key over from S3 and loads it again, fresh, when demand says so. A key pinned by the control API is pinned again:
/// its layer is loaded afresh. Whatever a gateway asks of a layer meanwhile finds nothing there and falls back to S3.
/// </summary>
public sealed partial class ObjectInvalidator(
    GatewaySessions gateways,
    IFunctionControl functionControl,
    FunctionRunner functions,
    NodeWorkQueue nodeWork,
    NodeCommands node,
    RoutePins pins,
    ObjectSizes sizes,
    NodeLoader loader,
    PolicyInbox inbox,
    TimeProvider time,
    ILogger<ObjectInvalidator> logger)
{
    private long _invalidated;

    /// <summary>Object changes handled since the start.</summary>
    public long Invalidated => Interlocked.Read(ref _invalidated);

    public void Invalidate(ObjectChange change)
    {
        var key = change.Key;
        Interlocked.Increment(ref _invalidated);
        LogInvalidated(key, change.Removed ? "removed" : "written");
        sizes.Forget(key); // the new version may have another size: read again before it goes onto a layer
        if (pins.LayerOf(key) is { } pinned)
        {
            // The pin's own undo takes its copy away (route, function, entry); pinned again, its layer loads the new version.
            pins.Pin(key, pinned);
            return;
        }

        gateways.RemoveRoute(key);
        if (functions.IsRunning(key))
        {
            // Only a function that runs (or is starting, then it hears it when it connects): a shutdown kept for a key
            // without one would end the next, fresh, function.
            functionControl.Shutdown(key);
        }

        nodeWork.Enqueue(PolicyCommandKind.EvictObject, key, _ => node.EvictAsync(key));
        inbox.Post(PolicyEvent.ObjectChanged(key, time.GetUtcNow()));
    }

    /// <summary>Invalidates each change of <paramref name="batch"/>; every cached copy when changes were dropped before it.</summary>
    public void Apply(ChangeBatch batch)
    {
        if (batch.Overflowed)
        {
            InvalidateEverything();
            return;
        }

        foreach (var change in batch.Changes)
        {
            Invalidate(change);
        }
    }

    /// <summary>
    /// Some change was lost (a full queue), and which key it was is unknown: every key that may have a cached copy (routed
    /// to a function or the node, pinned, held by a running function) is invalidated as if it had changed. A copy that
    /// still reaches the node afterwards (a load under way) is made due for revalidation once the node's queue gets there
    /// (<see cref="CopyRevalidator"/> then checks it against the store).
    /// </summary>
    public void InvalidateEverything()
    {
        var keys = gateways.Routes.Routes.Where(r => r.Value != CacheLayer.S3).Select(r => r.Key)
            .Concat(pins.All.Keys)
            .Concat(functions.RunningKeys)
            .ToHashSet(StringComparer.Ordinal);
        LogInvalidatingEverything(keys.Count);
        foreach (var key in keys)
        {
            Invalidate(new ObjectChange(key, Removed: false));
        }

        nodeWork.Enqueue("expire-copies", _ =>
        {
            loader.ExpireAll();
            return Task.CompletedTask;
        });
    }

    [LoggerMessage(LogLevel.Warning, "Object changes were dropped (the invalidation queue was full): all {Count} cached keys are invalidated")]
    private partial void LogInvalidatingEverything(int count);

    [LoggerMessage(LogLevel.Information, "Object {Key} was {Change} in the store: its cached copies are dropped and it is served by S3")]
    private partial void LogInvalidated(string key, string change);
}
