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

    /// <summary>The invocations serving now (connected, not leaving), with their keys.</summary>
    public IReadOnlyList<(string InvocationId, IReadOnlyList<string> Keys)> Serving =>
        [.. _byInvocation.Values.Where(t => t.IsServing).Select(t => (t.InvocationId, t.Keys))];

    public FunctionTunnel? FindInvocation(string invocationId) => _byInvocation.GetValueOrDefault(invocationId);

    public FunctionTunnel? FindHost(string host) => _byHost.GetValueOrDefault(host);

    /// <summary>Whether a serving function holds <paramref name="key"/>; unlike <see cref="Pick"/>, takes no turn.</summary>
    public bool Serves(string key)
    {
        foreach (var (_, tunnel) in _byInvocation)
        {
            if (tunnel.IsServing && tunnel.Holds(key))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A serving tunnel of a function holding <paramref name="key"/> (round robin among several: each call takes a turn).</summary>
    /// <remarks>
    /// On every request through the Lambda layer: enumerates the dictionary without its locks and without
    /// copying it (<c>Values</c> would take every lock and copy).
    /// </remarks>
    public FunctionTunnel? Pick(string key)
    {
        FunctionTunnel? first = null;
        var count = 0;
        foreach (var (_, tunnel) in _byInvocation)
        {
            if (tunnel.IsServing && tunnel.Holds(key))
            {
                first ??= tunnel;
                count++;
            }
        }

        if (count <= 1)
        {
            return first;
        }

        var skip = (int)((ulong)Interlocked.Increment(ref _roundRobin) % (ulong)count);
        foreach (var (_, tunnel) in _byInvocation)
        {
            if (tunnel.IsServing && tunnel.Holds(key) && skip-- == 0)
            {
                return tunnel;
            }
        }

        return first;
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
