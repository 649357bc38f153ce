using ReactiveCache.Domain.Policy;

namespace ReactiveCache.Domain.Simulation;

/// <summary>The simulated gateways' and node's view of one key: its route, whether the node holds it, its live functions.</summary>
internal sealed class SimulatedKey(string name)
{
    public string Name { get; } = name;

    public CacheLayer Route { get; set; } = CacheLayer.S3;

    public bool OnNode { get; set; }

    public List<SimulatedFunction> Functions { get; } = [];
}
