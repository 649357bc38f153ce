namespace ReactiveCache.Domain.Policy;

/// <summary>The one cache node, as the policy believes it to be.</summary>
public enum NodeState
{
    Stopped = 0,
    Booting = 1,
    Running = 2,
    Stopping = 3,
}
