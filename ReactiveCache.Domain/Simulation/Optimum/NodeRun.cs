namespace ReactiveCache.Domain.Simulation.Optimum;

/// <summary>
/// One start of the node in the optimum's plan (seconds from the trace's start): started at <see cref="Start"/>
/// (a request's arrival, or the moment the node finished stopping), billed from <see cref="BilledFrom"/>, ready at
/// <see cref="Ready"/>, serving requests <see cref="FirstServed"/>..<see cref="LastServed"/> (indices into the
/// trace; none when <see cref="LastServed"/> &lt; <see cref="FirstServed"/>), stopped at <see cref="Stop"/>.
/// <see cref="Ordinal"/> is 1 for the first start; <see cref="BootKnown"/> is false when it took the shortest boot
/// because the plan started more often than the boot times the optimum was given.
/// </summary>
public readonly record struct NodeRun(
    int Ordinal,
    double Start,
    double BilledFrom,
    double Ready,
    double Stop,
    int FirstServed,
    int LastServed,
    bool BootKnown);
