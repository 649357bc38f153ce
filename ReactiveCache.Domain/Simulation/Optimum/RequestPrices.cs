using ReactiveCache.Domain.Traces;

namespace ReactiveCache.Domain.Simulation.Optimum;

/// <summary>
/// What each request of a trace costs when the node does not serve it, at the cheapest the simulator allows:
/// <list type="bullet">
/// <item>S3: its GET plus v.</item>
/// <item>A function invoked when the key's previous request arrived (functions start only on a request of their
/// key), warm, billed from when it can serve until just after this request: invocation + (gap − warm start) of
/// function time; the 240 s function timeout bounds the gap.</item>
/// <item>If the previous request came sooner than a warm start, the function that served it, kept the extra gap,
/// or one invoked at an earlier request.</item>
/// </list>
/// A fresh function per request is cheaper than keeping one up between requests whenever an invocation costs less
/// than a warm start's worth of function time (both price tables), so these per-request prices add up to the
/// cheapest way the functions and S3 can serve any set of requests (within a key, no request's price depends on how
/// its neighbours were served, except for requests closer together than a warm start, where the price is a lower
/// bound). <see cref="Savable"/> is what a request saves when the node serves it instead: its whole price, once its key
/// is known (a key can be loaded only after its first request named it, and the load takes the load time).
/// </summary>
internal sealed class RequestPrices
{
    private RequestPrices(double[] times, double[] offNode, double[] savable, OffNodeService[] how)
    {
        Times = times;
        OffNode = offNode;
        Savable = savable;
        How = how;
    }

    public double[] Times { get; }

    /// <summary>ℓ: the cheapest contribution to J of the request when the node does not serve it.</summary>
    public double[] OffNode { get; }

    /// <summary>What the node saves by serving the request (0 while its key is unknown or still loading).</summary>
    public double[] Savable { get; }

    public OffNodeService[] How { get; }

    public int Count => Times.Length;

    public static RequestPrices Of(Trace trace, OptimumModel m)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(m);
        int n = trace.Count;
        var times = new double[n];
        var offNode = new double[n];
        var savable = new double[n];
        var how = new OffNodeService[n];
        var byKey = new Dictionary<string, KeyHistory>(StringComparer.Ordinal);
        var price = m.OffNodePrice;
        for (int i = 0; i < n; i++)
        {
            var r = trace.Requests[i];
            double t = r.OffsetSeconds;
            times[i] = t;
            if (!byKey.TryGetValue(r.Key, out var h))
            {
                h = new KeyHistory(t);
                byKey.Add(r.Key, h);
                offNode[i] = m.MissUsd;
                how[i] = OffNodeService.S3;
                h.Times.Add(t);
                continue;
            }

            double best = m.MissUsd;
            var service = OffNodeService.S3;

            // a fresh function, invoked at the latest earlier request of the key it can be ready after
            while (h.Invoker + 1 < h.Times.Count && h.Times[h.Invoker + 1] + m.WarmStartSeconds <= t)
            {
                h.Invoker++;
            }

            if (h.Invoker >= 0)
            {
                double fresh = price.Function(t - h.Times[h.Invoker]);
                if (fresh < best)
                {
                    best = fresh;
                    service = OffNodeService.Function;
                }
            }

            // the previous request's function, kept for the gap
            double extension = m.FunctionPerSecondUsd * (t - h.Times[^1]);
            if (extension < best)
            {
                best = extension;
                service = OffNodeService.FunctionKept;
            }

            offNode[i] = best;
            how[i] = service;
            savable[i] = t >= h.First + m.ObjectLoadSeconds ? best : 0;
            h.Times.Add(t);
        }

        return new RequestPrices(times, offNode, savable, how);
    }

    private sealed class KeyHistory(double first)
    {
        public double First { get; } = first;

        public List<double> Times { get; } = [];

        /// <summary>Index into <see cref="Times"/> of the latest request a fresh function for the next one can be invoked at.</summary>
        public int Invoker { get; set; } = -1;
    }
}

/// <summary>How a request the node does not serve is served in the optimum.</summary>
internal enum OffNodeService
{
    S3,
    Function,
    FunctionKept,
}
