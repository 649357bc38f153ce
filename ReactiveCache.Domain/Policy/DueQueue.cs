namespace ReactiveCache.Domain.Policy;

/// <summary>
/// Timed per-object work of a policy (the thesis's node checks, the default policy's leave times): a
/// min-queue of (object, due) with lazy invalidation. An object that is rescheduled or changes state is
/// not searched out of the queue; its stale entries are dropped when they reach the front and the
/// caller's predicate says they no longer stand.
/// </summary>
internal sealed class DueQueue<T>
{
    private readonly PriorityQueue<T, DateTimeOffset> _queue = new();

    public void Schedule(T item, DateTimeOffset due) => _queue.Enqueue(item, due);

    /// <summary>The earliest entry that still stands (stale ones in front are dropped), or null.</summary>
    public DateTimeOffset? NextDue(Func<T, DateTimeOffset, bool> stands)
    {
        while (_queue.TryPeek(out var item, out var due))
        {
            if (stands(item, due))
            {
                return due;
            }

            _queue.Dequeue();
        }

        return null;
    }

    /// <summary>Takes the next entry due at <paramref name="now"/> that still stands; false when none is left.</summary>
    public bool TryTakeDue(DateTimeOffset now, Func<T, DateTimeOffset, bool> stands, out T item, out DateTimeOffset due)
    {
        while (_queue.TryPeek(out item!, out due) && due <= now)
        {
            _queue.Dequeue();
            if (stands(item, due))
            {
                return true;
            }
        }

        item = default!;
        return false;
    }
}
