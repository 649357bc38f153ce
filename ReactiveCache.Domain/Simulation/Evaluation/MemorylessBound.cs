using ReactiveCache.Domain.Policy.Default;

namespace ReactiveCache.Domain.Simulation.Evaluation;

/// <summary>
/// A lower bound on the expected J of every online policy on Poisson traffic (one stream of arrivals at a known rate
/// λ, in continuous time), for judging a policy's distance to OPT on the Poisson families: where this bound is above
/// 1.25 × OPT's expected J, no policy that knows only the past has an expected J within 1.25× of it there, however it
/// is built.
/// <para>
/// Why it holds. Whatever a policy has done up to an instant cannot depend on whether a request arrives at that
/// instant, and a Poisson arrival comes at rate λ whatever happened before (arrivals see time averages). So the
/// requests that find nothing in memory number, in expectation, λ × the time in which nothing serves from memory, and
/// each costs S3 + v. Serving from memory costs at least the node's price per second (serving time is billed time;
/// a function kept warm for the next request costs more per second than the node with every price table here). The
/// first request finds nothing in memory. So E[J] ≥ (S3 + v) + min(p, λ (S3 + v)) × (end − first request). Boots,
/// minimum billing, stops and loads only add to it; OPT, knowing the arrivals, can do better.
/// </para>
/// <para>
/// The generated Poisson traces round offsets to whole seconds, as the thesis's generator did; a policy could only
/// exploit that by invoking a function just before every whole second. No policy here does, and none should.
/// </para>
/// </summary>
public static class MemorylessBound
{
    /// <summary>
    /// The bound, in $, for a trace whose first request comes at <paramref name="firstRequestSeconds"/> and which
    /// ends at <paramref name="endSeconds"/>, with arrivals at <paramref name="ratePerMinute"/>; v and the prices
    /// per second as the policies see them (<see cref="DefaultPolicySettings"/>: S3 + v, p, the function's price).
    /// </summary>
    public static double ExpectedObjectiveUsd(double firstRequestSeconds, double endSeconds, double ratePerMinute, DefaultPolicySettings prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerMinute);
        double memory = Math.Min(prices.NodePerSecond, prices.FunctionPerSecond);
        return prices.MissUsd + (Math.Min(memory, ratePerMinute / 60.0 * prices.MissUsd) * Math.Max(0, endSeconds - firstRequestSeconds));
    }
}
