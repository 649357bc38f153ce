using ReactiveCache.Domain.Policy.Configuration;

namespace ReactiveCache.Orchestrator.Control;

/// <summary>What <c>GET /config</c> answers.</summary>
public sealed record ActiveConfiguration(PolicyOptions Policy, PolicyParameters Parameters, string PriceTable);
