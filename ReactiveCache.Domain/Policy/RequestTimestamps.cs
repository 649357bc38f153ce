namespace ReactiveCache.Domain.Policy;

/// <summary>The last few request timestamps of one object (the thesis keeps 5), oldest first. No allocation per add.</summary>
public sealed class RequestTimestamps
{
    private readonly long[] _ticks;
    private int _start;

    public RequestTimestamps(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ticks = new long[capacity];
    }

    public int Count { get; private set; }

    public int Capacity => _ticks.Length;

    public void Add(DateTimeOffset time)
    {
        if (Count < _ticks.Length)
        {
            _ticks[(_start + Count) % _ticks.Length] = time.UtcTicks;
            Count++;
        }
        else
        {
            _ticks[_start] = time.UtcTicks;
            _start = (_start + 1) % _ticks.Length;
        }
    }

    /// <summary>The i-th timestamp, 0 = oldest kept.</summary>
    public DateTimeOffset this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return new DateTimeOffset(_ticks[(_start + index) % _ticks.Length], TimeSpan.Zero);
        }
    }

    public DateTimeOffset Oldest => this[0];

    public DateTimeOffset Newest => this[Count - 1];
}
