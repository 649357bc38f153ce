namespace ReactiveCache.Domain.Costs;

/// <summary>
/// What a GET adds to J when the node does not serve it, at the cheapest: S3 (its GET + v), or a function invoked
/// when the key's previous request arrived, warm, billed from when it can serve until this request (invocation +
/// function time for the gap less the warm start; the function timeout bounds the gap). The optimum prices every
/// request with it, and <see cref="Policy.Default.DefaultPolicy"/> values what the node would save with it.
/// </summary>
public readonly record struct OffNodePrice(double MissUsd, double InvocationUsd, double FunctionPerSecondUsd, double WarmStartSeconds, double LongestGapSeconds)
{
    /// <summary>The price of a request <paramref name="gapSeconds"/> after the key's previous one (∞ for a key's first request).</summary>
    public double Of(double gapSeconds) => Math.Min(MissUsd, Function(gapSeconds));

    /// <summary>A fresh function invoked <paramref name="sinceInvokeSeconds"/> before the request (∞ if it cannot serve it).</summary>
    public double Function(double sinceInvokeSeconds) =>
        sinceInvokeSeconds >= WarmStartSeconds && sinceInvokeSeconds < LongestGapSeconds
            ? InvocationUsd + (FunctionPerSecondUsd * (sinceInvokeSeconds - WarmStartSeconds))
            : double.PositiveInfinity;
}
