namespace ReactiveCache.Domain.Simulation.Optimum;

/// <summary>
/// The dynamic program behind <see cref="OfflineOptimum"/>: the node's schedule minimising
/// J = Σ request prices + Σ over runs (billed node time − what the run's window saves).
/// <para>
/// The model (docs/policy.md): a request may start the node when it arrives or up to the stop time S later (a
/// request that arrives while the node stops restarts it when the stop ends, at most S later; the optimum may
/// wait as long after any request); the k-th start boots for the run's k-th boot time; a run is billed from
/// <c>running</c> with the price table's minimum, serves every request from ready + load time until it stops,
/// and stops right after the last request it serves; the node can start again S after that. A start that serves
/// nothing only uses up a boot time (it costs its minimum and lets the next start take the next boot time).
/// </para>
/// <para>
/// State: how many starts happened (a layer per count, the last taking the shortest boot for every further start)
/// and the request index. Between two requests a run's value only falls the later it starts (it is billed later
/// and opens its window on the same requests), so the candidate start times are a request's arrival + S and the
/// moments that open a window exactly at a request ("aligned"); a start that only uses up a boot time is worth
/// most at the earliest moment. Every value is then an array entry, found with suffix and range minima in
/// O(log n): O(K · n log n) for K layers.
/// </para>
/// </summary>
internal sealed class NodeScheduleSolver
{
    private readonly double[] _t;
    private readonly double[] _sp;
    private readonly OptimumModel _m;
    private readonly int _n;
    private readonly double _p;
    private readonly double _minimum;
    private readonly double _stop;
    private readonly double _load;
    private readonly Layer[] _layers;

    public NodeScheduleSolver(RequestPrices prices, OptimumModel model)
    {
        _t = prices.Times;
        _n = _t.Length;
        _m = model;
        _p = model.NodePerSecondUsd;
        _minimum = model.NodeMinimumSeconds;
        _stop = model.NodeStopSeconds;
        _load = model.ObjectLoadSeconds;
        _sp = new double[_n + 1];
        for (int i = 0; i < _n; i++)
        {
            _sp[i + 1] = _sp[i] + prices.Savable[i];
        }

        int known = model.Boots.Count;
        _layers = new Layer[known + 1];
        for (int k = 0; k <= known; k++)
        {
            _layers[k] = new Layer(k, _n, model.BootAfter(k), model.BilledAfter(k), k == known);
        }

        for (int k = known; k >= 0; k--)
        {
            _layers[k].Next = _layers[Math.Min(k + 1, known)];
            Fill(_layers[k]);
        }
    }

    /// <summary>The least Σ (billed node time − savings) over all schedules: add the request prices to get J.</summary>
    public double Value => Math.Min(0, _layers[0].FreeMin[0]);

    /// <summary>The runs of an optimal schedule, in order.</summary>
    public List<NodeRun> Runs()
    {
        var runs = new List<NodeRun>();
        if (!(_layers[0].FreeMin[0] < 0))
        {
            return runs;
        }

        var layer = _layers[0];
        var start = BestFrom(layer, FreeChoice(layer, 0));
        while (true)
        {
            if (start.Burn)
            {
                double boot = layer.Boot;
                runs.Add(new NodeRun(runs.Count + 1, start.Time, start.Time + layer.Billed, start.Time + boot, start.Time + boot, _n, _n - 1, !layer.Capped));
                layer = layer.Next;
                var after = NextChoice(layer, start.Time + boot + _stop);
                if (after is null)
                {
                    return runs;
                }

                start = after.Value;
                continue;
            }

            var run = layer.Next;
            double billedFrom = start.Time + layer.Billed;
            double ready = start.Time + layer.Boot;
            int window = start.Window ?? WindowAfter(ready);
            int last = StopAfter(run, billedFrom, window);
            runs.Add(new NodeRun(runs.Count + 1, start.Time, billedFrom, ready, _t[last], window, last, !layer.Capped));
            layer = run;
            var next = NextChoice(layer, _t[last] + _stop);
            if (next is null)
            {
                return runs;
            }

            start = next.Value;
        }
    }

    private int WindowAfter(double ready) => LowerBound(ready + _load);

    private void Fill(Layer layer)
    {
        var run = layer.Next;
        double burnCost = _p * Math.Max(_minimum, layer.Boot - layer.Billed);
        layer.FreeMin[_n] = double.PositiveInfinity;
        layer.FreeArg[_n] = -1;
        layer.SuffixArg[_n] = -1;
        for (int i = _n - 1; i >= 0; i--)
        {
            double t = _t[i];

            // the latest start request i can trigger, and using up a boot time at its arrival
            layer.StartLate[i] = RunValue(run, t + _stop + layer.Billed, WindowAfter(t + _stop + layer.Boot));
            layer.Burn[i] = layer.Capped ? double.PositiveInfinity : burnCost + Next(run, t + layer.Boot + _stop);

            // a run of this layer that stops right after request i (past or within its minimum billing)
            double after = Next(layer, t + _stop);
            layer.Stop[i] = (_p * t) - _sp[i + 1] + after;
            int s = layer.SuffixArg[i + 1];
            layer.SuffixArg[i] = s < 0 || layer.Stop[i] < layer.Stop[s] ? i : s;
            layer.FreeStop[i] = -_sp[i + 1] + after;
            layer.FreeTable.Set(i);

            // a start whose window opens exactly at request i, if some request can trigger it
            layer.Aligned[i] = double.PositiveInfinity;
            if (i == 0 || _t[i - 1] < t)
            {
                double at = t - layer.Boot - _load;
                int trigger = UpperBound(at) - 1;
                if (trigger >= 0 && _t[trigger] + _stop >= at)
                {
                    layer.Aligned[i] = RunValue(run, at + layer.Billed, i);
                }
            }

            layer.AlignedTable.Set(i);

            // the best start request i can trigger: its window [t, t + S]
            double w = Math.Min(layer.StartLate[i], layer.Burn[i]);
            int a = AlignedIn(layer, t, t + _stop);
            if (a >= 0)
            {
                w = Math.Min(w, layer.Aligned[a]);
            }

            layer.Window[i] = w;
            int f = layer.FreeArg[i + 1];
            layer.FreeArg[i] = f < 0 || w < layer.FreeMin[i + 1] ? i : f;
            layer.FreeMin[i] = Math.Min(w, layer.FreeMin[i + 1]);
        }
    }

    /// <summary>The value of a run of <paramref name="run"/>'s layer billed from <paramref name="billedFrom"/> whose window opens at request <paramref name="window"/>, and of all after it.</summary>
    private double RunValue(Layer run, double billedFrom, int window)
    {
        if (window >= _n)
        {
            return double.PositiveInfinity;
        }

        int m = StopAfter(run, billedFrom, window);
        double billed = Math.Max(_minimum, _t[m] - billedFrom);
        return (_p * billed) - (_sp[m + 1] - _sp[window]) + (run.Stop[m] - (_p * _t[m]) + _sp[m + 1]);
    }

    // the request after which the run stops: the least of stopping within the minimum billing or past it
    private int StopAfter(Layer run, double billedFrom, int window)
    {
        int u = LowerBound(billedFrom + _minimum);
        int best = -1;
        double value = double.PositiveInfinity;
        if (u - 1 >= window)
        {
            best = run.FreeTable.ArgMin(window, u - 1);
            value = (_p * _minimum) + run.FreeStop[best];
        }

        int j = Math.Max(window, u);
        if (j < _n)
        {
            int m = run.SuffixArg[j];
            double past = run.Stop[m] - (_p * billedFrom);
            if (best < 0 || past < value)
            {
                best = m;
            }
        }

        return best;
    }

    /// <summary>The least value once the node of <paramref name="layer"/> may start again from <paramref name="available"/> (0: never again).</summary>
    private double Next(Layer layer, double available)
    {
        double best = 0;
        int j0 = LowerBound(available);
        if (j0 < _n)
        {
            best = Math.Min(best, layer.FreeMin[j0]);
        }

        if (j0 > 0 && _t[j0 - 1] + _stop >= available)
        {
            // requests before `available` whose windows reach past it: starts in [available, t + S]
            int q = j0 - 1;
            best = Math.Min(best, Math.Min(layer.StartLate[q], layer.Burn[q]));
            int a = AlignedIn(layer, available, _t[q] + _stop);
            if (a >= 0)
            {
                best = Math.Min(best, layer.Aligned[a]);
            }
        }

        return best;
    }

    /// <summary>The request whose aligned start (in <paramref name="layer"/>) falls in [from, to] and is worth most, or −1.</summary>
    private int AlignedIn(Layer layer, double from, double to)
    {
        double shift = layer.Boot + _load;
        int lo = LowerBound(from + shift);
        int hi = UpperBound(to + shift) - 1;
        return lo <= hi ? layer.AlignedTable.ArgMin(lo, hi) : -1;
    }

    // which start the free-start minimum from request j chose
    private Start FreeChoice(Layer layer, int j) => new(layer.FreeArg[j], double.NaN, null, false);

    // resolves a trigger request into the exact start it takes (late, aligned or a burn)
    private Start BestFrom(Layer layer, Start s)
    {
        int i = s.Trigger;
        double t = _t[i];
        return Resolve(layer, i, t, t + _stop, includeEarly: true, early: t);
    }

    private Start? NextChoice(Layer layer, double available)
    {
        double best = 0;
        Start? choice = null;
        int j0 = LowerBound(available);
        if (j0 < _n && layer.FreeMin[j0] < best)
        {
            best = layer.FreeMin[j0];
            choice = BestFrom(layer, FreeChoice(layer, j0));
        }

        if (j0 > 0 && _t[j0 - 1] + _stop >= available)
        {
            int q = j0 - 1;
            var partial = Resolve(layer, q, available, _t[q] + _stop, includeEarly: true, early: _t[q]);
            if (ValueOf(layer, partial) < best)
            {
                choice = partial;
            }
        }

        return choice;
    }

    // the best of: the late start t_q + S, aligned starts in [from, to], a burn (valued at the trigger's arrival)
    private Start Resolve(Layer layer, int q, double from, double to, bool includeEarly, double early)
    {
        var best = new Start(q, _t[q] + _stop, null, false);
        double value = layer.StartLate[q];
        int a = AlignedIn(layer, from, to);
        if (a >= 0 && layer.Aligned[a] < value)
        {
            value = layer.Aligned[a];
            best = new Start(q, _t[a] - layer.Boot - _load, a, false);
        }

        if (includeEarly && layer.Burn[q] < value)
        {
            best = new Start(q, Math.Max(from, early), null, true);
        }

        return best;
    }

    private double ValueOf(Layer layer, Start s) =>
        s.Burn ? layer.Burn[s.Trigger] : s.Window is { } a ? layer.Aligned[a] : layer.StartLate[s.Trigger];

    private int LowerBound(double time)
    {
        int lo = 0, hi = _n;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_t[mid] < time)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private int UpperBound(double time)
    {
        int lo = 0, hi = _n;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_t[mid] <= time)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>A start of the plan: triggered by request <see cref="Trigger"/>, at <see cref="Time"/>, its window forced to open at <see cref="Window"/> (aligned), or a burn.</summary>
    private readonly record struct Start(int Trigger, double Time, int? Window, bool Burn);

    /// <summary>What the program knows with <see cref="Starts"/> starts behind it. Arrays are indexed by request.</summary>
    private sealed class Layer
    {
        public Layer(int starts, int n, double boot, double billed, bool capped)
        {
            Starts = starts;
            Boot = boot;
            Billed = billed;
            Capped = capped;
            Stop = new double[n];
            SuffixArg = new int[n + 1];
            FreeStop = new double[n];
            StartLate = new double[n];
            Burn = new double[n];
            Aligned = new double[n];
            Window = new double[n];
            FreeMin = new double[n + 1];
            FreeArg = new int[n + 1];
            FreeTable = new MinTable(FreeStop);
            AlignedTable = new MinTable(Aligned);
        }

        public int Starts { get; }

        /// <summary>The boot time of the next start (from this layer into <see cref="Next"/>).</summary>
        public double Boot { get; }

        /// <summary>How long after the next start its billing begins.</summary>
        public double Billed { get; }

        /// <summary>The last layer: every further start takes the shortest boot (a lower bound), so using up a boot time gains nothing.</summary>
        public bool Capped { get; }

        public Layer Next { get; set; } = null!;

        /// <summary>p·t_m − savings through m + the value after stopping right after m (a run of this layer).</summary>
        public double[] Stop { get; }

        /// <summary>The index of the least <see cref="Stop"/> from i on.</summary>
        public int[] SuffixArg { get; }

        /// <summary>−savings through m + the value after stopping right after m (for stops within the minimum billing).</summary>
        public double[] FreeStop { get; }

        /// <summary>The value of a start from this layer S after request i's arrival.</summary>
        public double[] StartLate { get; }

        /// <summary>The value of a start at request i's arrival that serves nothing (uses up the boot time).</summary>
        public double[] Burn { get; }

        /// <summary>The value of a start from this layer whose window opens exactly at request i (∞ if no request can trigger it then).</summary>
        public double[] Aligned { get; }

        /// <summary>The best start request i can trigger (in [t_i, t_i + S]).</summary>
        public double[] Window { get; }

        /// <summary>The least <see cref="Window"/> from request i on (∞ at n).</summary>
        public double[] FreeMin { get; }

        public int[] FreeArg { get; }

        public MinTable FreeTable { get; }

        public MinTable AlignedTable { get; }
    }
}
