namespace ReactiveCache.Orchestrator.CacheNode;

/// <summary>What <c>GET /node</c> answers.</summary>
/// <param name="Since">When the node entered <paramref name="State"/>.</param>
/// <param name="Runs">Every start so far with its stop (null while running), for the cost meter.</param>
public sealed record CacheNodeStatus(
    CacheNodeState State,
    string? Endpoint,
    DateTimeOffset Since,
    IReadOnlyList<CacheNodeRun> Runs,
    string? LastError);

/// <summary>One start of the node: billed from <see cref="Started"/> (the trigger) to <see cref="Stopped"/>.</summary>
public sealed record CacheNodeRun(DateTimeOffset Started, DateTimeOffset? Ready, DateTimeOffset? Stopped);
