namespace ReactiveCache.Domain.Traces.Generators;

/// <summary>
/// On/off bursts: busy periods of a uniformly drawn length in [onMin, onMax] minutes with Poisson arrivals at
/// <c>rate</c> per minute (keys Zipf-ranked), separated by silences of [offMin, offMax] minutes. The trace starts
/// with a silence.
/// </summary>
public static class OnOffTraceGenerator
{
    public static Trace Generate(double durationMinutes, double ratePerMinute, double onMinMinutes, double onMaxMinutes, double offMinMinutes, double offMaxMinutes, int keys, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(durationMinutes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerMinute);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(onMinMinutes);
        ArgumentOutOfRangeException.ThrowIfLessThan(onMaxMinutes, onMinMinutes);
        ArgumentOutOfRangeException.ThrowIfNegative(offMinMinutes);
        ArgumentOutOfRangeException.ThrowIfLessThan(offMaxMinutes, offMinMinutes);
        var random = new Random(seed);
        double end = durationMinutes * 60.0;
        double rate = ratePerMinute / 60.0;
        var times = new List<double>();
        double t = 0;
        while (t < end)
        {
            t += 60.0 * (offMinMinutes + (random.NextDouble() * (offMaxMinutes - offMinMinutes)));
            double on = 60.0 * (onMinMinutes + (random.NextDouble() * (onMaxMinutes - onMinMinutes)));
            Arrivals.Add(random, t, Math.Min(end, t + on), _ => rate, rate, times);
            t += on;
        }

        string name = FormattableString.Invariant($"{Math.Ceiling(durationMinutes)}-on-off-{ratePerMinute}");
        return Arrivals.ToTrace(name, times, KeyPicker.Zipf(keys, 1.0), random, end);
    }
}
