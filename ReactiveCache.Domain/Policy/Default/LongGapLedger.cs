namespace ReactiveCache.Domain.Policy.Default;

/// <summary>
/// The last gaps between requests, each with the off-node worth of the traffic that followed it, so that a stop the
/// learned idle timeout does not decide (the traffic is worth less than the node, or the node is idle beyond the
/// learned gaps) can be checked against them: what stopping the node at an idle time x would have cost against keeping
/// it, summed over the past gaps longer than x (the gaps in which a stop at x would have been made). In such a gap of
/// length G the node, stopped at x, comes back at the request that ends the gap (or once the stop is over, if later)
/// after a boot: the requests from the end of the gap until it is back are served off the node, and the node's price
/// is saved from the stop to the restart's billed start. <see cref="StopAfter"/> picks, among the rule's own time and
/// the lengths of the longer past gaps, the idle time at which stopping would have cost least (follow the leader over
/// stop times: between two past gap lengths the sum never falls as x grows, so those lengths are where it is least). Kept:
/// the last 1/<see cref="GapHistogram.Fading"/> gaps (the horizon of the policy's other learners), each with the
/// requests within a stop and a boot after it; the oldest gap's record is reused for the newest, so that a request
/// allocates nothing once the ledger is full. Hand-written: no served package does this.
/// </summary>
/// <param name="economics">Where a stop's comeback and the node time it saves are priced (the idle timeout's own rule).</param>
/// <param name="comebackSeconds">A stop and a boot: how long after a gap the traffic that follows it can count.</param>
internal sealed class LongGapLedger(OffNodeEconomics economics, double comebackSeconds)
{
    private const int Kept = (int)(1 / GapHistogram.Fading);
    private readonly Queue<Gap> _gaps = new(Kept);
    private readonly List<Gap> _longer = [];

    /// <summary>A request at <paramref name="seconds"/> worth <paramref name="value"/> off the node, <paramref name="gapBefore"/> after the one before it (∞: the first).</summary>
    public void Add(double seconds, double value, double gapBefore)
    {
        // the gaps still counting the traffic after them: those that ended less than a stop and a boot ago
        foreach (var g in _gaps)
        {
            if (seconds < g.End + comebackSeconds)
            {
                g.Add(seconds - g.End, value);
            }
        }

        if (!double.IsFinite(gapBefore))
        {
            return;
        }

        var gap = _gaps.Count == Kept ? _gaps.Dequeue() : new Gap();
        gap.Reset(gapBefore, seconds);
        gap.Add(0, value);
        _gaps.Enqueue(gap);
    }

    /// <summary>
    /// The idle time, at or after <paramref name="from"/> (the stop rule's), at which a stop would have cost least
    /// against keeping the node over the past gaps longer than it (<paramref name="from"/> when none is longer, or when
    /// no later time would have cost less).
    /// </summary>
    public double StopAfter(double from)
    {
        _longer.Clear();
        foreach (var g in _gaps)
        {
            if (g.Length > from)
            {
                _longer.Add(g);
            }
        }

        _longer.Sort(static (a, b) => a.Length.CompareTo(b.Length));
        double best = from;
        double bestCost = double.PositiveInfinity;
        double x = from;
        for (int i = 0; i <= _longer.Count; i++)
        {
            // stopping at x against keeping, over the gaps longer than x (past the longest, nothing: 0)
            double cost = 0;
            for (int j = i; j < _longer.Count; j++)
            {
                cost += Extra(x, _longer[j]);
            }

            if (cost < bestCost)
            {
                bestCost = cost;
                best = x;
            }

            if (i < _longer.Count)
            {
                x = _longer[i].Length;
            }
        }

        return best;
    }

    // what stopping at idle time x cost against keeping the node in gap g (x < its length)
    private double Extra(double x, Gap g) =>
        g.WorthBefore(economics.BackAt(x, g.Length) - g.Length) - economics.NodeSaved(x, g.Length);

    private sealed class Gap
    {
        private readonly List<(double Offset, double Cumulative)> _after = [];

        public double Length { get; private set; }

        public double End { get; private set; }

        // a gap of `length` ending at `end`, with no traffic after it yet
        public void Reset(double length, double end)
        {
            Length = length;
            End = end;
            _after.Clear();
        }

        // a request `offset` seconds after the end of the gap (the one that ends it at 0)
        public void Add(double offset, double value) =>
            _after.Add((offset, (_after.Count > 0 ? _after[^1].Cumulative : 0) + value));

        // the worth of the requests from the end of the gap to `offset` after it (exclusive)
        public double WorthBefore(double offset)
        {
            double worth = 0;
            foreach (var (at, cumulative) in _after)
            {
                if (at >= offset)
                {
                    break;
                }

                worth = cumulative;
            }

            return worth;
        }
    }
}
