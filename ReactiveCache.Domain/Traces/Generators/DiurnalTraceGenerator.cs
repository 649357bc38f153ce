namespace ReactiveCache.Domain.Traces.Generators;

/// <summary>
/// A day of load: Poisson arrivals whose rate follows a sine over 24 hours, mean <c>rate</c> per minute,
/// from (1 − amplitude)·rate at midnight (the trace's start) to (1 + amplitude)·rate at noon; keys Zipf-ranked.
/// </summary>
public static class DiurnalTraceGenerator
{
    public static Trace Generate(double hours, double meanPerMinute, double amplitude, int keys, double skew, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hours);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(meanPerMinute);
        ArgumentOutOfRangeException.ThrowIfNegative(amplitude);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(amplitude, 1.0);
        var random = new Random(seed);
        double end = hours * 3600.0;
        double mean = meanPerMinute / 60.0;
        const double day = 24 * 3600.0;
        var times = new List<double>();
        Arrivals.Add(random, 0, end, t => mean * (1 - (amplitude * Math.Cos(2 * Math.PI * t / day))), mean * (1 + amplitude), times);
        string name = FormattableString.Invariant($"{Math.Ceiling(hours * 60)}-diurnal-{meanPerMinute}");
        return Arrivals.ToTrace(name, times, KeyPicker.Zipf(keys, skew), random, end);
    }
}
