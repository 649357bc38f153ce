namespace ReactiveCache.Domain.Traces.Generators;

/// <summary>
/// Many objects: Poisson arrivals at <c>rate</c> requests per minute in total, each for key k (1..K)
/// with probability ∝ 1/k^skew (Zipf). Keys are named <c>object-0001</c>, … by rank.
/// </summary>
public static class ZipfTraceGenerator
{
    public static Trace Generate(int keys, double skew, double ratePerMinute, double durationMinutes, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keys);
        ArgumentOutOfRangeException.ThrowIfNegative(skew);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerMinute);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(durationMinutes);
        var random = new Random(seed);
        var cumulative = new double[keys];
        double sum = 0;
        for (int k = 0; k < keys; k++)
        {
            sum += 1.0 / Math.Pow(k + 1, skew);
            cumulative[k] = sum;
        }

        int width = Math.Max(4, keys.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        var names = new string[keys];
        for (int k = 0; k < keys; k++)
        {
            names[k] = "object-" + (k + 1).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0');
        }

        double end = durationMinutes * 60.0;
        double mean = 60.0 / ratePerMinute;
        var requests = new List<TraceRequest>();
        double t = 0;
        while (true)
        {
            t += random.NextExponential(mean);
            if (t > end)
            {
                break;
            }

            int index = Array.BinarySearch(cumulative, random.NextDouble() * sum);
            if (index < 0)
            {
                index = ~index;
            }

            requests.Add(new TraceRequest(requests.Count, Math.Round(t, 3), "GET", names[Math.Min(index, keys - 1)]));
        }

        string name = FormattableString.Invariant($"{Math.Ceiling(durationMinutes)}-zipf-{keys}-{skew}-{ratePerMinute}");
        return new Trace(name, requests, TimeSpan.FromSeconds(end));
    }
}
