namespace ReactiveCache.Domain.Traces;

/// <summary>
/// A request trace in the thesis's format, sorted by offset. <see cref="Duration"/> is the measurement
/// window (the thesis billed always-on and ElastiCache for it); see <see cref="TraceFormat"/> for how it is found.
/// </summary>
public sealed class Trace
{
    public Trace(string name, IReadOnlyList<TraceRequest> requests, TimeSpan? duration = null)
    {
        ArgumentNullException.ThrowIfNull(requests);
        Name = name;
        var sorted = requests.ToArray();
        if (!IsSorted(sorted))
        {
            // Stable: ties keep file order.
            sorted = [.. sorted.Select((r, i) => (r, i)).OrderBy(x => x.r.OffsetSeconds).ThenBy(x => x.i).Select(x => x.r)];
        }

        Requests = sorted;
        double last = sorted.Length == 0 ? 0 : sorted[^1].OffsetSeconds;
        Duration = duration ?? TimeSpan.FromSeconds(Math.Ceiling(last / 60.0) * 60.0);
        if (Duration.TotalSeconds < last)
        {
            Duration = TimeSpan.FromSeconds(last);
        }

        Keys = [.. sorted.Select(r => r.Key).Distinct(StringComparer.Ordinal)];
    }

    public string Name { get; }

    public IReadOnlyList<TraceRequest> Requests { get; }

    public TimeSpan Duration { get; }

    public IReadOnlyList<string> Keys { get; }

    public int Count => Requests.Count;

    public Trace WithDuration(TimeSpan duration) => new(Name, Requests, duration);

    private static bool IsSorted(TraceRequest[] requests)
    {
        for (int i = 1; i < requests.Length; i++)
        {
            if (requests[i].OffsetSeconds < requests[i - 1].OffsetSeconds)
            {
                return false;
            }
        }

        return true;
    }
}
