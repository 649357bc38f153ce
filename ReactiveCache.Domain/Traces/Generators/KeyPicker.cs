using System.Globalization;

namespace ReactiveCache.Domain.Traces.Generators;

/// <summary>
/// Which key a generated request asks for: one key, or K keys named <c>object-0001</c>, … by rank with
/// probability ∝ 1/rank^skew (Zipf; skew 0 = uniform).
/// </summary>
public sealed class KeyPicker
{
    private readonly string[] _names;
    private readonly double[] _cumulative;

    private KeyPicker(string[] names, double[] cumulative)
    {
        _names = names;
        _cumulative = cumulative;
    }

    public int Count => _names.Length;

    public static KeyPicker Single(string key = TraceFormat.DefaultKey) => new([key], []);

    public static KeyPicker Zipf(int keys, double skew)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keys);
        ArgumentOutOfRangeException.ThrowIfNegative(skew);
        var cumulative = new double[keys];
        double sum = 0;
        for (int k = 0; k < keys; k++)
        {
            sum += 1.0 / Math.Pow(k + 1, skew);
            cumulative[k] = sum;
        }

        int width = Math.Max(4, keys.ToString(CultureInfo.InvariantCulture).Length);
        var names = new string[keys];
        for (int k = 0; k < keys; k++)
        {
            names[k] = "object-" + (k + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
        }

        return new KeyPicker(names, cumulative);
    }

    /// <summary>The key of rank <paramref name="rank"/> (0 = most popular).</summary>
    public string this[int rank] => _names[rank];

    /// <summary>Draws a key (one uniform draw from a Zipf picker, even of one key; none from a single key).</summary>
    public string Pick(Random random)
    {
        if (_cumulative.Length == 0)
        {
            return _names[0];
        }

        int index = Array.BinarySearch(_cumulative, random.NextDouble() * _cumulative[^1]);
        if (index < 0)
        {
            index = ~index;
        }

        return _names[Math.Min(index, _names.Length - 1)];
    }
}
