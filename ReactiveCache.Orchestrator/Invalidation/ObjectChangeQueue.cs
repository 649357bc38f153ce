using System.Threading.Channels;
using ReactiveCache.Core.Objects;
using ReactiveCache.Orchestrator.Telemetry;

namespace ReactiveCache.Orchestrator.Invalidation;

/// <summary>
/// The changes a watcher raised, waiting for the invalidator: bounded (<see cref="InvalidationOptions.FeedCapacity"/>).
/// A change that finds it full is dropped and counted (<see cref="OrchestratorTelemetry.InvalidationsDropped"/>), and the
/// next batch says so (<see cref="ChangeBatch.Overflowed"/>): its reader cannot know which key was lost, so it must treat
/// every cached copy as possibly changed.
/// </summary>
public sealed class ObjectChangeQueue
{
    private readonly Channel<ObjectChange> _changes;
    private long _dropped;
    private int _overflowed;

    public ObjectChangeQueue(int capacity)
    {
        _changes = Channel.CreateBounded<ObjectChange>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            _ => Dropped());
    }

    /// <summary>Changes dropped since the start because the queue was full.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    public void Write(ObjectChange change) => _changes.Writer.TryWrite(change);

    /// <summary>
    /// Some change was lost before it reached the queue (the watcher's own buffer overflowed): counted as a drop, and the
    /// reader is woken so that its next batch says so even when no other change follows.
    /// </summary>
    public void Lost()
    {
        Dropped();
        _changes.Writer.TryWrite(default); // a wake-up with no key, never handed out
    }

    /// <summary>
    /// Waits for a change, lets the changes that follow it within <paramref name="settle"/> come too (a file written
    /// raises several in a row), and returns them, one per key, with whether any was dropped since the last batch.
    /// </summary>
    public async Task<ChangeBatch> ReadBatchAsync(TimeSpan settle, TimeProvider time, CancellationToken cancellationToken)
    {
        while (await _changes.Reader.WaitToReadAsync(cancellationToken))
        {
            await Task.Delay(settle, time, cancellationToken);
            var batch = new Dictionary<string, ObjectChange>(StringComparer.Ordinal);
            while (_changes.Reader.TryRead(out var change))
            {
                if (change.Key is not null)
                {
                    batch[change.Key] = change;
                }
            }

            return new ChangeBatch([.. batch.Values], Interlocked.Exchange(ref _overflowed, 0) == 1);
        }

        throw new OperationCanceledException(cancellationToken);
    }

    private void Dropped()
    {
        Interlocked.Increment(ref _dropped);
        Interlocked.Exchange(ref _overflowed, 1);
        OrchestratorTelemetry.InvalidationsDropped.Add(1);
    }
}

/// <summary>The changes read at once (one per key), and whether some were dropped before them (<see cref="ObjectChangeQueue"/>).</summary>
public sealed record ChangeBatch(IReadOnlyList<ObjectChange> Changes, bool Overflowed);
