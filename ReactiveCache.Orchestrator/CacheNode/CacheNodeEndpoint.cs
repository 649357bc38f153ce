namespace ReactiveCache.Orchestrator.CacheNode;

/// <summary>Where a running cache node listens (the password is configuration, not part of the endpoint).</summary>
public sealed record CacheNodeEndpoint(string Host, int Port)
{
    public override string ToString() => $"{Host}:{Port}";
}
