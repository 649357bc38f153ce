namespace ReactiveCache.Domain.Costs;

/// <summary>From which moment of a boot the node is billed (per second, with the price table's minimum per start).</summary>
public enum NodeBilling
{
    /// <summary>As AWS bills EC2: from the instance's <c>running</c> state, before Redis is ready (pending is free).</summary>
    FromRunning = 0,

    /// <summary>As the thesis's evaluation billed its log: from the moment Redis answered.</summary>
    FromReady = 1,
}
