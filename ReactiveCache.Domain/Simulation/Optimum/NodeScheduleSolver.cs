namespace ReactiveCache.Domain.Simulation.Optimum;

/// <summary>
/// The dynamic program behind <see cref="OfflineOptimum"/>: the node's schedule minimising
/// J = Σ request prices + Σ over runs (billed node time − what the run's window saves).
/// <para>
/// The model (docs/policy.md): the node starts when a request arrives, or — if requests arrived while it was
/// stopping — the moment the stop ends; the k-th start boots for the run's k-th boot time; a run is billed from
/// <c>running</c> with the price table's minimum and serves every request from ready + load time until it stops;
/// a stop takes S. A run stops right after the last request it serves, or later when that moves a restart: while
/// its minimum billing lasts, later costs nothing (the optimum may take the minimum to last until 60 s after the
/// later of its ready time and... see <see cref="_shortRunSlack"/>); past it, waiting costs as much as a later
/// restart could save, so it never helps. A start that serves nothing (a "burn") costs its minimum and uses up its
/// boot time.
/// </para>
/// <para>
/// State: how many starts happened (a layer per count; the last layer gives every further start the shortest
/// boot) and the request index. Between two requests a run's value only falls the later it starts (billed later,
/// same window), so restarts need only be tried where a window opens exactly at a request ("aligned"), at the ends
/// of the interval and S after a request; a burn is worth most at its earliest moment. Every value is then an array
/// entry or a suffix or range minimum over one: O(K · n log n) for K layers.
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

    /// <summary>
    /// A run's first served request comes at least this long after its billing began (boot − billing offset + load
    /// time, at the shortest boot). A run stopped within its minimum may wait for free until billing start + minimum;
    /// the program, which knows only the last served request, lets it wait until that request + minimum − slack.
    /// </summary>
    private readonly double _shortRunSlack;

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
        double unbilledBoot = model.NodeBilling == Costs.NodeBilling.FromReady ? 0 : Math.Max(0, model.BootMinSeconds - model.NodePendingSeconds);
        _shortRunSlack = Math.Min(_minimum, unbilledBoot + _load);
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
    public double Value => After(_layers[0], double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, out _);

    /// <summary>The runs of an optimal schedule, in order.</summary>
    public List<NodeRun> Runs()
    {
        var runs = new List<NodeRun>();
        var layer = _layers[0];
        After(layer, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, out var next);
        while (next is { } start)
        {
            double boot = layer.Boot;
            double billedFrom = start.Time + layer.Billed;
            var run = layer.Next;
            if (start.Burn)
            {
                runs.Add(new NodeRun(runs.Count + 1, start.Time, billedFrom, start.Time + boot, start.Time + boot, _n, _n - 1, !layer.Capped));
                After(run, start.Time + boot + _stop, billedFrom + _minimum + _stop, start.Time + boot, out next);
            }
            else
            {
                int window = start.Window ?? WindowAfter(start.Time + boot);
                int last = StopAfter(run, billedFrom, window, out bool past);
                runs.Add(new NodeRun(runs.Count + 1, start.Time, billedFrom, start.Time + boot, _t[last], window, last, !layer.Capped));
                double available = _t[last] + _stop;
                After(run, available, past ? available : available + _minimum - _shortRunSlack, _t[last], out next);
            }

            layer = run;
        }

        return runs;
    }

    private int WindowAfter(double ready) => LowerBound(ready + _load);

    private void Fill(Layer layer)
    {
        var run = layer.Next;
        double burnCost = _p * Math.Max(_minimum, layer.Boot - layer.Billed);
        layer.IdleMin[_n] = double.PositiveInfinity;
        layer.IdleArg[_n] = -1;
        layer.SuffixArg[_n] = -1;
        for (int i = _n - 1; i >= 0; i--)
        {
            double t = _t[i];

            // starts from this layer at times tied to request i
            layer.Late[i] = StartValue(layer, t + _stop);
            layer.LateTable.Set(i);
            if (layer.Capped)
            {
                layer.Burn[i] = double.PositiveInfinity;
            }
            else
            {
                double ready = t + layer.Boot;
                double billedFrom = t + layer.Billed;
                layer.Burn[i] = burnCost + After(run, ready + _stop, billedFrom + _minimum + _stop, ready, out _);
            }

            // a run of this layer that stops right after request i, past or within its minimum billing
            double past = After(layer, t + _stop, t + _stop, t, out _);
            double within = After(layer, t + _stop, t + _stop + _minimum - _shortRunSlack, t, out _);
            layer.Stop[i] = (_p * t) - _sp[i + 1] + past;
            int s = layer.SuffixArg[i + 1];
            layer.SuffixArg[i] = s < 0 || layer.Stop[i] < layer.Stop[s] ? i : s;
            layer.FreeStop[i] = -_sp[i + 1] + within;
            layer.FreeTable.Set(i);

            // a start whose window opens exactly at request i
            layer.Aligned[i] = double.PositiveInfinity;
            double at = t - layer.Boot - _load;
            int trigger = UpperBound(at) - 1;
            if ((i == 0 || _t[i - 1] < t) && trigger >= 0 && _t[trigger] + _stop >= at)
            {
                layer.Aligned[i] = RunValue(run, at + layer.Billed, i);
            }

            layer.AlignedTable.Set(i);

            // a start when request i arrives (or a burn then)
            double now = Math.Min(StartValue(layer, t), layer.Burn[i]);
            int f = layer.IdleArg[i + 1];
            layer.IdleArg[i] = f < 0 || now < layer.IdleMin[i + 1] ? i : f;
            layer.IdleMin[i] = Math.Min(now, layer.IdleMin[i + 1]);
        }
    }

    /// <summary>The value of a start from <paramref name="layer"/> at <paramref name="start"/> that serves (∞ if nothing is left to serve).</summary>
    private double StartValue(Layer layer, double start) =>
        RunValue(layer.Next, start + layer.Billed, WindowAfter(start + layer.Boot));

    /// <summary>The value of a run of <paramref name="run"/>'s layer billed from <paramref name="billedFrom"/> whose window opens at request <paramref name="window"/>, and of all after it.</summary>
    private double RunValue(Layer run, double billedFrom, int window)
    {
        if (window >= _n)
        {
            return double.PositiveInfinity;
        }

        int m = StopAfter(run, billedFrom, window, out bool past);
        double after = past ? run.Stop[m] - (_p * _t[m]) + _sp[m + 1] : run.FreeStop[m] + _sp[m + 1];
        return (_p * Math.Max(_minimum, _t[m] - billedFrom)) - (_sp[m + 1] - _sp[window]) + after;
    }

    // the request after which the run stops: the least of stopping within the minimum billing or past it
    private int StopAfter(Layer run, double billedFrom, int window, out bool past)
    {
        int u = LowerBound(billedFrom + _minimum);
        int best = -1;
        double value = double.PositiveInfinity;
        past = false;
        if (u - 1 >= window)
        {
            best = run.FreeTable.ArgMin(window, u - 1);
            value = (_p * _minimum) + run.FreeStop[best];
        }

        int j = Math.Max(window, u);
        if (j < _n)
        {
            int m = run.SuffixArg[j];
            if (best < 0 || run.Stop[m] - (_p * billedFrom) < value)
            {
                best = m;
                past = true;
            }
        }

        return best;
    }

    /// <summary>
    /// The least value once the node of <paramref name="layer"/> stopped after the request at <paramref name="served"/>:
    /// never start again (0); start on a request arriving from <paramref name="available"/> on (or burn then); or,
    /// if a request arrived during the stop, restart at a moment up to <paramref name="latest"/> (the stop placed
    /// later for free). <paramref name="choice"/> is the start taken (null: none).
    /// </summary>
    private double After(Layer layer, double available, double latest, double served, out Start? choice)
    {
        double best = 0;
        choice = null;
        int j0 = LowerBound(available);
        if (j0 < _n && layer.IdleMin[j0] < best)
        {
            best = layer.IdleMin[j0];
            int i = layer.IdleArg[j0];
            choice = new Start(_t[i], null, layer.Burn[i] <= layer.IdleMin[j0]);
        }

        if (latest < available)
        {
            return best;
        }

        // S after a request that arrived during the stop
        int from = UpperBound(served);
        int to = UpperBound(latest - _stop) - 1;
        if (from <= to)
        {
            int j = layer.LateTable.ArgMin(from, to);
            if (layer.Late[j] < best)
            {
                best = layer.Late[j];
                choice = new Start(_t[j] + _stop, null, false);
            }
        }

        // a window opening exactly at a request (Aligned is ∞ where no request triggers that moment)
        double shift = layer.Boot + _load;
        int lo = LowerBound(available + shift);
        int hi = UpperBound(latest + shift) - 1;
        if (lo <= hi)
        {
            int a = layer.AlignedTable.ArgMin(lo, hi);
            if (layer.Aligned[a] < best)
            {
                best = layer.Aligned[a];
                choice = new Start(_t[a] - shift, a, false);
            }
        }

        // the latest moment, and a burn at the earliest (valued at its trigger's arrival: a lower bound)
        if (Triggered(latest, served))
        {
            double value = StartValue(layer, latest);
            if (value < best)
            {
                best = value;
                choice = new Start(latest, null, false);
            }
        }

        if (from < _n && _t[from] <= latest && layer.Burn[from] < best)
        {
            best = layer.Burn[from];
            choice = new Start(Math.Max(available, _t[from]), null, true);
        }

        return best;
    }

    // a restart at `at` needs a request that arrived after the last served one, during the stop (at most S before `at`)
    private bool Triggered(double at, double served)
    {
        int q = UpperBound(at) - 1;
        return q >= 0 && _t[q] > served && _t[q] + _stop >= at;
    }

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

    /// <summary>A start of the plan: at <see cref="Time"/>, its window forced open at request <see cref="Window"/> (aligned), or a burn.</summary>
    private readonly record struct Start(double Time, int? Window, bool Burn);

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
            Late = new double[n];
            Burn = new double[n];
            Aligned = new double[n];
            IdleMin = new double[n + 1];
            IdleArg = new int[n + 1];
            FreeTable = new MinTable(FreeStop);
            AlignedTable = new MinTable(Aligned);
            LateTable = new MinTable(Late);
        }

        public int Starts { get; }

        /// <summary>The boot time of the next start (from this layer into <see cref="Next"/>).</summary>
        public double Boot { get; }

        /// <summary>How long after the next start its billing begins.</summary>
        public double Billed { get; }

        /// <summary>The last layer: every further start takes the shortest boot (a lower bound), so a burn gains nothing.</summary>
        public bool Capped { get; }

        public Layer Next { get; set; } = null!;

        /// <summary>p·t_m − savings through m + the value after stopping right after m, past the minimum billing (a run of this layer).</summary>
        public double[] Stop { get; }

        /// <summary>The index of the least <see cref="Stop"/> from i on.</summary>
        public int[] SuffixArg { get; }

        /// <summary>−savings through m + the value after stopping right after m, within the minimum billing.</summary>
        public double[] FreeStop { get; }

        /// <summary>A start from this layer S after request i arrives.</summary>
        public double[] Late { get; }

        /// <summary>A burn from this layer when request i arrives.</summary>
        public double[] Burn { get; }

        /// <summary>A start from this layer whose window opens exactly at request i.</summary>
        public double[] Aligned { get; }

        /// <summary>The least value of a start (or burn) from this layer at a request's arrival, from request i on (∞ at n).</summary>
        public double[] IdleMin { get; }

        public int[] IdleArg { get; }

        public MinTable FreeTable { get; }

        public MinTable AlignedTable { get; }

        public MinTable LateTable { get; }
    }
}
