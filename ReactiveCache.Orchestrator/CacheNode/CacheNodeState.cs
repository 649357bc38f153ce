namespace ReactiveCache.Orchestrator.CacheNode;

/// <summary>The cache node as the orchestrator (and the dashboard) sees it.</summary>
public enum CacheNodeState
{
    Stopped,
    Booting,
    Running,

    /// <summary>Routes removed; waiting for every gateway to ack that its in-flight reads finished.</summary>
    Draining,
    Stopping,
}
