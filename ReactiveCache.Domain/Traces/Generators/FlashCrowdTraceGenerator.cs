namespace ReactiveCache.Domain.Traces.Generators;

/// <summary>
/// Flash crowds after long silence: <c>crowds</c> crowds over the window, each on one key (drawn from
/// <c>keys</c> Zipf-ranked keys), its requests arriving at <c>peak</c> per minute decaying exponentially with
/// time constant <c>decay</c> (for five time constants); nothing between crowds. Crowd starts are spread over
/// the window (one per equal slice, at a random point in its first half), so silences last tens of minutes.
/// </summary>
public static class FlashCrowdTraceGenerator
{
    public static Trace Generate(double durationMinutes, int crowds, double peakPerMinute, double decaySeconds, int keys, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(durationMinutes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(crowds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(peakPerMinute);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(decaySeconds);
        var random = new Random(seed);
        var picker = KeyPicker.Zipf(keys, 1.0);
        double end = durationMinutes * 60.0;
        double slice = end / crowds;
        double peak = peakPerMinute / 60.0;
        var requests = new List<TraceRequest>();
        for (int c = 0; c < crowds; c++)
        {
            double start = (c * slice) + (random.NextDouble() * slice / 2);
            string key = picker.Pick(random);
            var times = new List<double>();
            double until = Math.Min(end, start + (5 * decaySeconds));
            Arrivals.Add(random, start, until, t => peak * Math.Exp(-(t - start) / decaySeconds), peak, times);
            foreach (double t in times)
            {
                requests.Add(new TraceRequest(requests.Count, Math.Round(t, 3), "GET", key));
            }
        }

        string name = FormattableString.Invariant($"{Math.Ceiling(durationMinutes)}-flash-crowd-{crowds}-{peakPerMinute}");
        return new Trace(name, requests, TimeSpan.FromSeconds(end));
    }
}
