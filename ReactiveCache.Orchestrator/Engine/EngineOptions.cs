using System.ComponentModel.DataAnnotations;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>Configuration section <c>Engine</c>: how the orchestrator executes the policy's commands.</summary>
public sealed class EngineOptions
{
    public const string SectionName = "Engine";

    /// <summary>How long a drain waits for gateway acks before the node is stopped anyway.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A boot that has not answered PING after this long failed (and is stopped): the policy hears it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan BootTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A load (GET from the store, SET on the node) that takes longer than this failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LoadTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a running node is checked (its process or instance, and a PING).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan NodeWatchInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A running node that misses this many PINGs in a row (its process or instance still there) is lost.</summary>
    [Range(1, 1000)]
    public int NodeWatchMisses { get; set; } = 3;

    /// <summary>
    /// How long a function's shutdown waits for every gateway to acknowledge the route version that moved its keys
    /// (to the node), so that no GET finds the function gone before its gateway knows the new route. Past it the
    /// function is told anyway (a gateway that does not answer must not hold it to its timeout).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan RouteAckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a starting orchestrator waits for its gateways (as many as functions are given tunnel URLs) to report
    /// what they hold before it rebuilds from what it has (zero: no reconciliation, start from nothing).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ReconcileWindow { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// After the gateways reported, how long the functions of the previous orchestrator get to dial the control stream
    /// again. The wait ends as soon as every function the gateways named is back, so the bound costs time only when one
    /// of them is gone. A function redials at most every 2 s, and its attempt against a freshly started orchestrator
    /// (its first gRPC stream, on a loaded machine) can take seconds more: a bound of 2 s once let the reconciliation
    /// end before a live function was back, and its key was left to the late-function path.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan FunctionRedialWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a function found at reconciliation may be without its control stream before its end is assumed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan FunctionRedialGrace { get; set; } = TimeSpan.FromSeconds(5);
}
