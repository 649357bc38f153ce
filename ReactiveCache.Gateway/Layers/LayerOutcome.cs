namespace ReactiveCache.Gateway.Layers;

/// <summary>How one layer of the chain dealt with a request.</summary>
public enum LayerOutcome
{
    /// <summary>The layer answered the client (whatever the status).</summary>
    Served,

    /// <summary>The layer was reachable but does not hold the object.</summary>
    Miss,

    /// <summary>The layer was not tried: no node or function, draining, or its circuit is open.</summary>
    Unavailable,

    /// <summary>The layer failed (error or timeout) before the first response byte.</summary>
    Failed,
}

public static class LayerOutcomeNames
{
    public static string ToName(this LayerOutcome outcome) => outcome switch
    {
        LayerOutcome.Served => "served",
        LayerOutcome.Miss => "miss",
        LayerOutcome.Unavailable => "unavailable",
        _ => "failed",
    };
}
