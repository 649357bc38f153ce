namespace ReactiveCache.Domain.Policy.Default;

/// <summary>
/// Learns what starting the node at a request would have been worth: for every request, the summed off-node price
/// of the requests that arrived in [t + from, t + to] after it (the start's minimum-billed window while the node
/// serves), kept per bucket of the gap that preceded the request (a request after a long silence and one in the
/// middle of a burst say different things about what follows), with older requests fading as in
/// <see cref="GapHistogram"/>. What arrives later does not depend on the policy, so the measure is unbiased.
/// </summary>
internal sealed class WindowValue(double from, double to)
{
    private readonly double[] _weight = new double[GapHistogram.BucketCount];
    private readonly double[] _sum = new double[GapHistogram.BucketCount];
    private readonly int[] _count = new int[GapHistogram.BucketCount];
    private double _allWeight;
    private double _allSum;
    private readonly Queue<(double Time, int Bucket)> _pending = new();
    private readonly List<(double Time, double Cumulative)> _history = [];
    private int _head;
    private double _cumulative;
    private double _scale = 1;

    /// <summary>A request at <paramref name="time"/> (seconds) worth <paramref name="value"/> off the node, <paramref name="gapBefore"/> after the one before it.</summary>
    public void Add(double time, double value, double gapBefore)
    {
        Settle(time);
        _cumulative += value;
        _history.Add((time, _cumulative));
        _pending.Enqueue((time, GapHistogram.BucketOf(gapBefore)));
    }

    /// <summary>
    /// The worth of the window after a request that followed a gap of <paramref name="gapBefore"/>: what such windows
    /// were worth, shrunk towards <paramref name="prior"/> as if the prior were one more measurement.
    /// </summary>
    public double Expected(double gapBefore, double prior)
    {
        int b = GapHistogram.BucketOf(gapBefore);
        if (_count[b] == 0)
        {
            return prior;
        }

        double n = Math.Min(_count[b], 1 / GapHistogram.Fading);
        return ((n * _sum[b] / _weight[b]) + prior) / (n + 1);
    }

    /// <summary>The mean worth of every window measured (fading), or null before any.</summary>
    public double? Overall => _allWeight > 0 ? _allSum / _allWeight : null;

    /// <summary>
    /// What a window's length of traffic is worth at the rate of the requests seen within the last window's length up
    /// to <paramref name="now"/> (the worth of those after the first, per second of the span they cover): the
    /// window's worth if traffic persists. 0 with fewer than two requests.
    /// </summary>
    public double Recent(double now)
    {
        double length = to - from;
        int first = IndexAfter(now - length);
        int last = _history.Count - 1;
        if (first < 0 || first >= last)
        {
            return 0;
        }

        double span = _history[last].Time - _history[first].Time;
        double worth = _history[last].Cumulative - _history[first].Cumulative;
        // the same estimate all the policy's life: it used to stretch the span to the window's length over the
        // number of requests kept in the history, which damped it only while the policy had seen few requests
        return span > 0 ? worth * length / span : 0;
    }

    /// <summary>What the requests in (<paramref name="since"/>, <paramref name="now"/>] were worth (history reaches back a window's length).</summary>
    public double Since(double since, double now) => CumulativeAt(now) - CumulativeAt(since);

    /// <summary>
    /// The earliest time at or after <paramref name="last"/> (the last request, seconds) at which the requests of the
    /// window's length before it are worth less than <paramref name="level"/>: with no request after
    /// <paramref name="last"/>, that worth only falls, as requests leave the window.
    /// </summary>
    public double FallsBelow(double last, double level)
    {
        double length = to - from;
        int first = EntriesAtOrBelow(CumulativeAt(last) - level, cumulative: true);
        return first < _history.Count ? Math.Max(last, _history[first].Time + length) : last;
    }

    // the first history entry at or after `time` (−1 if none)
    private int IndexAfter(double time)
    {
        int lo = _head, hi = _history.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_history[mid].Time < time)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo < _history.Count ? lo : -1;
    }

    // measures the windows that have closed by `now`
    private void Settle(double now)
    {
        while (_pending.TryPeek(out var p) && p.Time + to < now)
        {
            _pending.Dequeue();
            double worth = CumulativeAt(p.Time + to) - CumulativeAt(p.Time + from);
            _weight[p.Bucket] += _scale;
            _sum[p.Bucket] += _scale * worth;
            _count[p.Bucket]++;
            _allWeight += _scale;
            _allSum += _scale * worth;
            _scale /= 1 - GapHistogram.Fading;
            if (_scale > 1e100)
            {
                for (int i = 0; i < _weight.Length; i++)
                {
                    _weight[i] /= _scale;
                    _sum[i] /= _scale;
                }

                _allWeight /= _scale;
                _allSum /= _scale;
                _scale = 1;
            }
        }

        // drop history no open window can reach
        double oldest = _pending.TryPeek(out var first) ? first.Time + from : now;
        while (_head < _history.Count - 1 && _history[_head + 1].Time <= oldest)
        {
            _head++;
        }

        if (_head > 1024 && _head > _history.Count / 2)
        {
            _history.RemoveRange(0, _head);
            _head = 0;
        }
    }

    // the cumulative worth of the requests up to `time` (inclusive)
    private double CumulativeAt(double time)
    {
        int count = EntriesAtOrBelow(time, cumulative: false);
        return count == 0 ? 0 : _history[count - 1].Cumulative;
    }

    // the index after the last history entry whose time (or cumulative worth) is at most `threshold`: both only grow
    private int EntriesAtOrBelow(double threshold, bool cumulative)
    {
        int lo = _head, hi = _history.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if ((cumulative ? _history[mid].Cumulative : _history[mid].Time) <= threshold)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
