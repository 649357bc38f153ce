namespace ReactiveCache.Domain.Simulation.Optimum;

/// <summary>
/// Range-minimum queries over an array filled from its end towards its start (a sparse table whose row j at i
/// covers [i, i + 2^j), so each row needs only entries to its right): O(log n) to set, O(1) to query. Holds the
/// index of the minimum. Hand-written: no served package offers one.
/// </summary>
internal sealed class MinTable
{
    private readonly double[] _values;
    private readonly int[][] _rows;

    public MinTable(double[] values)
    {
        _values = values;
        int n = Math.Max(1, values.Length);
        int levels = 1;
        while ((1 << levels) <= n)
        {
            levels++;
        }

        _rows = new int[levels][];
        for (int j = 0; j < levels; j++)
        {
            _rows[j] = new int[n];
        }
    }

    /// <summary>Call after <c>values[i]</c> is final and every entry right of it has been set.</summary>
    public void Set(int i)
    {
        _rows[0][i] = i;
        for (int j = 1; j < _rows.Length && i + (1 << j) <= _values.Length; j++)
        {
            int a = _rows[j - 1][i];
            int b = _rows[j - 1][i + (1 << (j - 1))];
            _rows[j][i] = _values[b] < _values[a] ? b : a;
        }
    }

    /// <summary>The index of the least value in [from, to] (inclusive, from ≤ to).</summary>
    public int ArgMin(int from, int to)
    {
        int length = to - from + 1;
        int j = 31 - int.LeadingZeroCount(length);
        int a = _rows[j][from];
        int b = _rows[j][to - (1 << j) + 1];
        return _values[b] < _values[a] ? b : a;
    }
}
