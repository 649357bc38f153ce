namespace ReactiveCache.Domain.Traces.Generators;

/// <summary>
/// One spike, like the thesis's <c>spike-simple</c> generator: N samples from a normal distribution with
/// standard deviation σ, shifted so the first request is at 10 s, offsets to the millisecond; the window
/// ends two minutes after the last request, in whole minutes.
/// </summary>
public static class SpikeTraceGenerator
{
    public static Trace Generate(int samples, double sigmaSeconds, int seed, string key = TraceFormat.DefaultKey)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigmaSeconds);
        var random = new Random(seed);
        var arrivals = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            arrivals[i] = random.NextNormal(0, sigmaSeconds);
        }

        Array.Sort(arrivals);
        double shift = Math.Abs(arrivals[0]) + 10.0;
        var requests = new List<TraceRequest>(samples);
        foreach (double a in arrivals)
        {
            requests.Add(new TraceRequest(requests.Count, Math.Round(a + shift, 3), "GET", key));
        }

        double last = requests[^1].OffsetSeconds;
        int minutes = Math.Max(1, (int)Math.Round((last + 120.0) / 60.0));
        string name = FormattableString.Invariant($"{minutes}-spike-simple-{sigmaSeconds}-{samples}");
        return new Trace(name, requests, TimeSpan.FromMinutes(Math.Max(minutes, Math.Ceiling(last / 60.0))));
    }
}
