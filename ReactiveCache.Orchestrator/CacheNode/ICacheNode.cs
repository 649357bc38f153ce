namespace ReactiveCache.Orchestrator.CacheNode;

/// <summary>
/// The cache node (Redis on a stopped EC2 instance, or a local Garnet process): the orchestrator
/// boots it when demand lasts and stops it when demand fades.
/// </summary>
public interface ICacheNode
{
    /// <summary>
    /// Boots the node (or adopts one already running or booting), waits until it answers PING with
    /// AUTH, and returns where the gateways and the loader reach it.
    /// </summary>
    Task<CacheNodeEndpoint> StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops the node; its memory is lost. Returns when it is stopped. Stopping a stopped node does nothing.</summary>
    Task StopAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Whether the node's process (or instance) is still there, without changing anything: false means it is gone
    /// (exited, stopped from outside). A node that cannot be asked (an API error) counts as running.
    /// </summary>
    Task<bool> IsRunningAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The node as it is now, for a restarted orchestrator: its endpoint when it runs (or is booting, then once it
    /// answers PING), or null when it is stopped or stopping. Starts nothing.
    /// </summary>
    Task<CacheNodeEndpoint?> FindRunningAsync(CancellationToken cancellationToken);
}
