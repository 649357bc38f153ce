namespace ReactiveCache.Domain.Traces.Generators;

/// <summary>
/// A Poisson process for one key, like the thesis's <c>poisson</c> generator: exponential gaps with mean
/// 60/λ s starting at 1 s, offsets rounded to whole seconds, up to the duration.
/// </summary>
public static class PoissonTraceGenerator
{
    public static Trace Generate(double durationMinutes, double lambdaPerMinute, int seed, string key = TraceFormat.DefaultKey)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(durationMinutes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lambdaPerMinute);
        var random = new Random(seed);
        double end = durationMinutes * 60.0;
        double mean = 60.0 / lambdaPerMinute;
        var requests = new List<TraceRequest>();
        double current = 1.0;
        while (true)
        {
            current = Math.Round(current + random.NextExponential(mean), MidpointRounding.ToEven);
            if (current > end)
            {
                break;
            }

            requests.Add(new TraceRequest(requests.Count, current, "GET", key));
        }

        string name = FormattableString.Invariant($"{Math.Ceiling(durationMinutes)}-poisson-{lambdaPerMinute}");
        return new Trace(name, requests, TimeSpan.FromSeconds(end));
    }
}
