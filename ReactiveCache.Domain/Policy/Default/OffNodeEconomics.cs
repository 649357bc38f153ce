using ReactiveCache.Domain.Costs;

namespace ReactiveCache.Domain.Policy.Default;

/// <summary>
/// The two expected-cost choices of <see cref="DefaultPolicy"/>, made over learned gap histograms (each bucket
/// stands for its mean gap; the candidate timeouts are the bucket edges):
/// <list type="bullet">
/// <item><see cref="KeepAlive"/>: how long a key keeps a function after a request. Keeping it T costs the
/// invocation and function time until the next request or T; a request after T costs S3 + v.</item>
/// <item><see cref="IdleTimeout"/>: how long the node may sit idle. Against staying up through an idle gap G,
/// stopping at τ saves the node's price from τ to the comeback but serves the resumed traffic off the node until
/// the node is back (the rest of the stop, then a boot), the request that resumes it at its off-node price after
/// the gap, and pays the boot's billed part again.</item>
/// </list>
/// Beyond the longest idle gap learned the history says nothing: <see cref="DefaultPolicy"/> then stops once stopping
/// would pay even if the traffic of the last comeback horizon resumed at once.
/// </summary>
internal sealed class OffNodeEconomics(DefaultPolicySettings settings)
{
    private readonly double _p = settings.NodePerSecond;
    private readonly double _miss = settings.MissUsd;
    private readonly double _function = settings.FunctionPerSecond;
    private readonly double _invocation = settings.InvocationUsd;
    private readonly double _warm = settings.Startup.FunctionWarmMs / 1000.0;
    private readonly double _boot = settings.ExpectedBootSeconds;
    private readonly double _pending = settings.PendingSeconds;
    private readonly double _stop = settings.StopSeconds;
    private readonly OffNodePrice _price = settings.OffNodePrice;

    /// <summary>
    /// Seconds to keep a function after a request (0: none). The gap distribution is the key's own, with every key's
    /// gaps as one more observation and ignorance (one observation spread evenly over the log-spaced buckets) as
    /// another, so that a key with a couple of gaps does not bet on them alone.
    /// </summary>
    public double KeepAlive(GapHistogram own, GapHistogram pooled)
    {
        double ownWeight = Math.Min(own.Count, 1 / GapHistogram.Fading);
        double pooledWeight = pooled.Count > 0 ? 1 : 0;
        double total = ownWeight + pooledWeight + 1;
        double below = 0;
        double bestCost = _miss;
        double best = 0;
        double aboveShare = 1;
        for (int b = 0; b < GapHistogram.BucketCount - 1; b++)
        {
            double share = ((ownWeight * own.Share(b)) + (pooledWeight * pooled.Share(b)) + (1.0 / GapHistogram.BucketCount)) / total;
            double mean = own.Share(b) > 0 ? own.Mean(b) : pooled.Share(b) > 0 ? pooled.Mean(b) : GapHistogram.Center(b);
            below += share * _function * Math.Max(0, mean - _warm);
            aboveShare -= share;
            double keep = GapHistogram.UpperEdge(b);
            double cost = _invocation + below + (Math.Max(0, aboveShare) * ((_function * Math.Max(0, keep - _warm)) + _miss));
            if (cost < bestCost)
            {
                bestCost = cost;
                best = keep;
            }
        }

        return best;
    }

    /// <summary>
    /// Seconds the node may stay idle before it stops, given the value per second the traffic resumes at after a gap;
    /// +∞ when no timeout within the gaps seen pays. <paramref name="longestSeen"/> is the longest gap seen: idleness
    /// beyond it is something the history says nothing about, and the caller then decides by the traffic's value.
    /// </summary>
    public double IdleTimeout(GapHistogram arrivals, double resumeValue, out double longestSeen)
    {
        longestSeen = 0;
        if (arrivals.Count == 0)
        {
            return double.PositiveInfinity;
        }

        double best = double.PositiveInfinity;
        double bestExtra = 0;
        for (int b = 0; b < GapHistogram.BucketCount - 1; b++)
        {
            double timeout = GapHistogram.UpperEdge(b);
            double extra = 0;
            for (int i = b + 1; i < GapHistogram.BucketCount; i++)
            {
                double share = arrivals.Share(i);
                if (share > 0)
                {
                    extra += share * Extra(timeout, arrivals.Mean(i), resumeValue);
                }
            }

            if (extra < bestExtra)
            {
                bestExtra = extra;
                best = timeout;
            }
        }

        int longest = GapHistogram.BucketCount - 1;
        while (longest > 0 && arrivals.Share(longest) <= 0)
        {
            longest--;
        }

        longestSeen = arrivals.Mean(longest);
        return best;
    }

    // what stopping at `timeout` adds against staying up through an idle gap of `gap` (> timeout): the request that
    // ends the gap finds no node, and no function either unless one was kept through the gap, so it costs its
    // off-node price after that gap (a miss once the gap outlasts what a function is worth keeping for); the traffic
    // that follows it until the node is back is served off the node at the resume value; the node's price is saved
    // from the stop to the comeback, less the boot's billed part paid again
    private double Extra(double timeout, double gap, double resumeValue)
    {
        double back = BackAt(timeout, gap);
        return _price.Of(gap) + (resumeValue * (back - gap)) - NodeSaved(timeout, gap);
    }

    /// <summary>
    /// When a node stopped <paramref name="timeout"/> seconds into an idle gap of <paramref name="gap"/> serves again
    /// (seconds from the gap's start): restarted at the request that ends the gap, or once the stop is over if later,
    /// then booted.
    /// </summary>
    public double BackAt(double timeout, double gap) => Math.Max(gap, timeout + _stop) + _boot;

    /// <summary>
    /// The node $ that stopping <paramref name="timeout"/> seconds into an idle gap of <paramref name="gap"/> saves against
    /// keeping the node until it is back: its price from the stop to the restart's billed start.
    /// </summary>
    public double NodeSaved(double timeout, double gap) => _p * (BackAt(timeout, gap) - timeout - (_boot - _pending));
}
