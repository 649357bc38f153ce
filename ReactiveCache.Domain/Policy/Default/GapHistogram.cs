namespace ReactiveCache.Domain.Policy.Default;

/// <summary>
/// Gaps between requests, learned online: log-spaced buckets (10 ms to about a day, each 1.5× the last) holding
/// a weight and the weighted sum of the gaps that fell into it, with older gaps fading (each new gap weighs
/// 1/(1 − <see cref="Fading"/>) times the one before, so the last ~64 gaps dominate). Adding is O(1); the policy's
/// expected costs read the buckets. Hand-written: no served package keeps a fading histogram.
/// </summary>
public sealed class GapHistogram
{
    public const double FirstEdgeSeconds = 0.01;
    public const double Ratio = 1.5;
    public const int BucketCount = 40;

    /// <summary>How fast old gaps fade: the weight of the last ~1/Fading gaps dominates.</summary>
    public const double Fading = 1.0 / 64;

    private static readonly double[] Edges = MakeEdges();
    private readonly double[] _weight = new double[BucketCount];
    private readonly double[] _sum = new double[BucketCount];
    private double _scale = 1;
    private double _total;

    /// <summary>How many gaps were added (not faded).</summary>
    public int Count { get; private set; }

    /// <summary>The upper edge of bucket b in seconds (the last is +∞).</summary>
    public static double UpperEdge(int b) => Edges[b];

    public void Add(double gapSeconds)
    {
        if (double.IsNaN(gapSeconds) || gapSeconds < 0)
        {
            return;
        }

        int b = BucketOf(gapSeconds);
        _weight[b] += _scale;
        _sum[b] += _scale * gapSeconds;
        _total += _scale;
        Count++;
        _scale /= 1 - Fading;
        if (_scale > 1e100)
        {
            for (int i = 0; i < BucketCount; i++)
            {
                _weight[i] /= _scale;
                _sum[i] /= _scale;
            }

            _total /= _scale;
            _scale = 1;
        }
    }

    /// <summary>The share of the weight in bucket b (0 when empty).</summary>
    public double Share(int b) => _total > 0 ? _weight[b] / _total : 0;

    /// <summary>The geometric middle of bucket b (the first's is half its edge; the last's ten times its lower edge).</summary>
    public static double Center(int b) =>
        b == 0 ? Edges[0] / 2 : b == BucketCount - 1 ? Edges[b - 1] * 10 : Math.Sqrt(Edges[b - 1] * Edges[b]);

    /// <summary>The mean gap of bucket b (its upper edge when empty).</summary>
    public double Mean(int b) => _weight[b] > 0 ? _sum[b] / _weight[b] : Math.Min(Edges[b], 1e6);

    /// <summary>The mean gap (fading as the buckets do); 0 before any gap.</summary>
    public double MeanGap
    {
        get
        {
            double mean = 0;
            for (int b = 0; b < BucketCount; b++)
            {
                mean += Share(b) * Mean(b);
            }

            return mean;
        }
    }

    internal static int BucketOf(double gap)
    {
        if (double.IsPositiveInfinity(gap) || double.IsNaN(gap))
        {
            return BucketCount - 1;
        }

        if (gap < FirstEdgeSeconds)
        {
            return 0;
        }

        int b = 1 + (int)(Math.Log(gap / FirstEdgeSeconds) / Math.Log(Ratio));
        return Math.Min(b, BucketCount - 1);
    }

    private static double[] MakeEdges()
    {
        var edges = new double[BucketCount];
        for (int b = 0; b < BucketCount - 1; b++)
        {
            edges[b] = FirstEdgeSeconds * Math.Pow(Ratio, b);
        }

        edges[^1] = double.PositiveInfinity;
        return edges;
    }
}
