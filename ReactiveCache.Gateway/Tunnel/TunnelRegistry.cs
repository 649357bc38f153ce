using System.Collections.Concurrent;

namespace ReactiveCache.Gateway.Tunnel;

/// <summary>The connected function invocations, by invocation and by the keys they hold.</summary>
internal sealed class TunnelRegistry
{
    private readonly ConcurrentDictionary<string, FunctionTunnel> _byInvocation = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FunctionTunnel> _byHost = new(StringComparer.OrdinalIgnoreCase);
    private long _next;
    private long _roundRobin;

    public FunctionTunnel Register(string invocationId, IReadOnlyList<string> keys) =>
        _byInvocation.GetOrAdd(invocationId, id =>
        {
            var tunnel = new FunctionTunnel(id, $"fn{Interlocked.Increment(ref _next)}.tunnel", keys);
            _byHost[tunnel.Host] = tunnel;
            return tunnel;
        });

    public FunctionTunnel? FindInvocation(string invocationId) => _byInvocation.GetValueOrDefault(invocationId);

    public FunctionTunnel? FindHost(string host) => _byHost.GetValueOrDefault(host);

    /// <summary>A serving tunnel of a function holding <paramref name="key"/> (round robin among several).</summary>
    public FunctionTunnel? Pick(string key)
    {
        var candidates = _byInvocation.Values.Where(t => t.IsServing && t.Keys.Contains(key, StringComparer.Ordinal)).ToList();
        return candidates.Count switch
        {
            0 => null,
            1 => candidates[0],
            _ => candidates[(int)(Interlocked.Increment(ref _roundRobin) % candidates.Count)],
        };
    }

    /// <summary>Forgets a tunnel once it said goodbye or lost every connection.</summary>
    public void Forget(FunctionTunnel tunnel)
    {
        if (tunnel.OpenConnections <= 0)
        {
            _byInvocation.TryRemove(new KeyValuePair<string, FunctionTunnel>(tunnel.InvocationId, tunnel));
            _byHost.TryRemove(new KeyValuePair<string, FunctionTunnel>(tunnel.Host, tunnel));
        }
    }
}
