using Microsoft.Extensions.Options;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.Costs;
using ReactiveCache.Orchestrator.Gateways;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>
/// What each node command does, and the events it tells the policy. Runs on the <see cref="NodeWorkQueue"/>
/// (one at a time); a failure is thrown to the queue, which reports it.
/// </summary>
public sealed class NodeCommands(
    CacheNodeController node,
    NodeLoader loader,
    GatewaySessions gateways,
    CostMeter costs,
    PolicyInbox inbox,
    TimeProvider time,
    IOptions<EngineOptions> options,
    ILogger<NodeCommands> logger)
{
    private CacheNodeEndpoint? _publishedNode;

    /// <summary>Boots the node (or finds it running): the policy hears NodeReady, or NodeStopped when it did not start.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EnsureNodeAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            inbox.Post(PolicyEvent.NodeStopped(time.GetUtcNow()));
            throw;
        }

        inbox.Post(PolicyEvent.NodeReady(time.GetUtcNow()));
    }

    /// <summary>Copies <paramref name="key"/> onto the running node: the policy hears ObjectLoaded.</summary>
    public async Task LoadAsync(string key, CancellationToken cancellationToken)
    {
        if (node.Endpoint is not { } endpoint)
        {
            logger.LogWarning("Cannot load {Key}: the cache node is not running", key);
            return;
        }

        if (await loader.LoadAsync(endpoint, key, cancellationToken))
        {
            costs.ObjectLoaded();
            inbox.Post(PolicyEvent.ObjectLoaded(key, time.GetUtcNow()));
        }
    }

    /// <summary>For a pin: boots the node if needed, loads <paramref name="key"/> and routes it to Redis (the policy hears nothing).</summary>
    public async Task LoadAndRouteAsync(string key, CancellationToken cancellationToken)
    {
        var endpoint = await EnsureNodeAsync(cancellationToken);
        if (await loader.LoadAsync(endpoint, key, cancellationToken))
        {
            costs.ObjectLoaded();
            gateways.SetRoute(key, Domain.CacheLayer.Redis);
        }
    }

    /// <summary>Deletes <paramref name="key"/> from the node, if one runs.</summary>
    public Task EvictAsync(string key) => node.Endpoint is { } endpoint ? loader.EvictAsync(endpoint, key) : Task.CompletedTask;

    /// <summary>Asks every gateway to stop reading from the node and waits for their acks (or the drain timeout).</summary>
    public Task DrainAsync(CancellationToken cancellationToken) => gateways.DrainAsync(options.Value.DrainTimeout, cancellationToken);

    /// <summary>Drains the gateways, stops the node and forgets it: the policy hears NodeStopped.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await node.StopAsync(DrainAsync, cancellationToken);
        gateways.SetNode(null, null);
        _publishedNode = null;
        await loader.ResetAsync();
        inbox.Post(PolicyEvent.NodeStopped(time.GetUtcNow()));
    }

    /// <summary>The running node (booted if needed), named to the gateways once per life.</summary>
    private async Task<CacheNodeEndpoint> EnsureNodeAsync(CancellationToken cancellationToken)
    {
        var endpoint = await node.StartAsync(cancellationToken);
        if (_publishedNode != endpoint)
        {
            gateways.SetNode(Guid.NewGuid().ToString("N"), endpoint.ToString());
            _publishedNode = endpoint;
        }

        return endpoint;
    }
}
