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
        var picker = KeyPicker.Zipf(keys, skew);
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

            requests.Add(new TraceRequest(requests.Count, Math.Round(t, 3), "GET", picker.Pick(random)));
        }

        string name = FormattableString.Invariant($"{Math.Ceiling(durationMinutes)}-zipf-{keys}-{skew}-{ratePerMinute}");
        return new Trace(name, requests, TimeSpan.FromSeconds(end));
    }
}
