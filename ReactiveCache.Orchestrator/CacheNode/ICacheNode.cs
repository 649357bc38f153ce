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

    /// <summary>Stops the node; its memory is lost. Returns when it is stopped.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}
