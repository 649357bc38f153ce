using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Traces;

namespace ReactiveCache.Domain.Simulation;

/// <summary>One entry point for every system.</summary>
public static class Simulator
{
    public static SimulationResult Run(Trace trace, SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.System switch
        {
            SystemKind.Reactive => new ReactiveSimulator(trace, options, time => PolicyFactory.Create(PolicyOptionsFor(options), time, options.Prices)).Run(),
            SystemKind.Optimal => Optimum.OfflineOptimum.Run(trace, options),
            SystemKind.ThesisOptimal => ThesisOptimalPlanner.Run(trace, options),
            _ => BaselineSimulator.Run(trace, options),
        };
    }

    public static PolicyOptions PolicyOptionsFor(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new PolicyOptions { Kind = options.Policy, Rate = options.Rate, Sensitivity = options.Sensitivity, Startup = options.Startup };
    }
}
