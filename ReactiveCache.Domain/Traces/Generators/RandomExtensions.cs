namespace ReactiveCache.Domain.Traces.Generators;

/// <summary>Draws from the distributions the generators need, from a seeded <see cref="Random"/>.</summary>
public static class RandomExtensions
{
    /// <summary>Exponential with the given mean.</summary>
    public static double NextExponential(this Random random, double mean) =>
        -mean * Math.Log(1.0 - random.NextDouble());

    /// <summary>Normal (Box–Muller).</summary>
    public static double NextNormal(this Random random, double mean, double sigma)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return mean + (sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }
}
