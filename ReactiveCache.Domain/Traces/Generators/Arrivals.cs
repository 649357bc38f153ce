namespace ReactiveCache.Domain.Traces.Generators;

/// <summary>Poisson arrival times, homogeneous or with a time-varying rate (thinning: draw at the peak rate, keep with rate/peak).</summary>
internal static class Arrivals
{
    /// <summary>Arrivals in [from, to) at <paramref name="perSecond"/>(t) ≤ <paramref name="peakPerSecond"/>, appended to <paramref name="times"/>.</summary>
    public static void Add(Random random, double from, double to, Func<double, double> perSecond, double peakPerSecond, List<double> times)
    {
        if (peakPerSecond <= 0)
        {
            return;
        }

        double t = from;
        while (true)
        {
            t += random.NextExponential(1.0 / peakPerSecond);
            if (t >= to)
            {
                return;
            }

            if (random.NextDouble() * peakPerSecond < perSecond(t))
            {
                times.Add(t);
            }
        }
    }

    /// <summary>A trace from arrival times (rounded to the millisecond), each asking for a key drawn from <paramref name="keys"/>.</summary>
    public static Trace ToTrace(string name, List<double> times, KeyPicker keys, Random random, double durationSeconds)
    {
        times.Sort();
        var requests = new List<TraceRequest>(times.Count);
        foreach (double t in times)
        {
            requests.Add(new TraceRequest(requests.Count, Math.Round(t, 3), "GET", keys.Pick(random)));
        }

        return new Trace(name, requests, TimeSpan.FromSeconds(durationSeconds));
    }
}
