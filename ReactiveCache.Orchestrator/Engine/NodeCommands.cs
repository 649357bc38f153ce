using Microsoft.Extensions.Options;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.Costs;
using ReactiveCache.Orchestrator.Gateways;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>
/// What each node command does, and the events it tells the policy. Runs on the <see cref="NodeWorkQueue"/>
/// (one at a time); a failure is thrown to the queue, which reports it to the policy as NodeCommandFailed.
/// </summary>
public sealed class NodeCommands(
    CacheNodeController node,
    NodeLoader loader,
    GatewaySessions gateways,
    CostMeter costs,
    ObjectSizes sizes,
    PolicyInbox inbox,
    TimeProvider time,
    IOptions<EngineOptions> options,
    ILogger<NodeCommands> logger)
{
    private CacheNodeEndpoint? _publishedNode;

    /// <summary>
    /// Boots the node (or finds it running): the policy hears NodeReady. A boot that fails, or does not answer within
    /// <see cref="EngineOptions.BootTimeout"/>, is stopped and thrown (the policy hears StartNode failed).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.BootTimeout);
        try
        {
            await EnsureNodeAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The cache node did not answer within the boot timeout ({options.Value.BootTimeout}).");
        }

        inbox.Post(PolicyEvent.NodeReady(time.GetUtcNow()));
    }

    /// <summary>Copies <paramref name="key"/> onto the running node: the policy hears ObjectLoaded. Throws when it cannot (a key over the node's size limit: <see cref="ObjectTooLargeException"/>, before anything else).</summary>
    public async Task LoadAsync(string key, CancellationToken cancellationToken)
    {
        await sizes.EnsureFitsAsync(key, Domain.CacheLayer.Redis, cancellationToken);
        var endpoint = node.Endpoint ?? throw new InvalidOperationException($"Cannot load '{key}': the cache node is not running.");
        await LoadOntoAsync(endpoint, key, cancellationToken);
        inbox.Post(PolicyEvent.ObjectLoaded(key, time.GetUtcNow()));
    }

    /// <summary>For a pin: boots the node if needed, loads <paramref name="key"/> and routes it to Redis (the policy hears nothing).</summary>
    public async Task LoadAndRouteAsync(string key, Func<bool> stillPinned, CancellationToken cancellationToken)
    {
        await sizes.EnsureFitsAsync(key, Domain.CacheLayer.Redis, cancellationToken);
        var endpoint = await EnsureNodeAsync(cancellationToken);
        await LoadOntoAsync(endpoint, key, cancellationToken);
        if (stillPinned())
        {
            gateways.SetRoute(key, Domain.CacheLayer.Redis);
        }
    }

    /// <summary>
    /// Brings the node's copy of <paramref name="key"/>, if it still holds one, to the store's version (a conditional GET:
    /// see <see cref="NodeLoader.RevalidateAsync"/>). Missing when the store no longer has the object.
    /// </summary>
    public async Task<Core.Objects.ReadStatus> RevalidateAsync(string key, CancellationToken cancellationToken) =>
        node.Endpoint is { } endpoint
            ? await loader.RevalidateAsync(endpoint, key, cancellationToken)
            : Core.Objects.ReadStatus.NotModified;

    /// <summary>Deletes <paramref name="key"/> from the node, if one runs.</summary>
    public Task EvictAsync(string key) => node.Endpoint is { } endpoint ? loader.EvictAsync(endpoint, key) : Task.CompletedTask;

    /// <summary>Asks every gateway to stop reading from the node and waits for their acks (or the drain timeout).</summary>
    public Task DrainAsync(CancellationToken cancellationToken) => gateways.DrainAsync(options.Value.DrainTimeout, cancellationToken);

    /// <summary>Drains the gateways, stops the node (from whatever state it is in) and forgets it: the policy hears NodeStopped.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await node.StopAsync(DrainAsync, cancellationToken);
        await ForgetNodeAsync();
        inbox.Post(PolicyEvent.NodeStopped(time.GetUtcNow()));
    }

    /// <summary>
    /// The node at <paramref name="endpoint"/> died (found by the <see cref="NodeWatcher"/>): its run ends, the gateways
    /// stop reading from it, and the policy hears NodeLost. Nothing happens when the node is no longer that one.
    /// </summary>
    public async Task LostAsync(CacheNodeEndpoint endpoint, string reason)
    {
        if (await node.MarkLostAsync(endpoint, reason))
        {
            await ForgetNodeAsync();
            inbox.Post(PolicyEvent.NodeLost(time.GetUtcNow()));
        }
    }

    /// <summary>A node found running by a restarted orchestrator: adopted, and named to the gateways.</summary>
    public void Adopt(CacheNodeEndpoint endpoint, string nodeId)
    {
        if (node.Adopt(endpoint))
        {
            gateways.SetNode(nodeId, endpoint.ToString());
            _publishedNode = endpoint;
        }
    }

    private async Task LoadOntoAsync(CacheNodeEndpoint endpoint, string key, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.LoadTimeout);
        bool loaded;
        try
        {
            loaded = await loader.LoadAsync(endpoint, key, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Loading '{key}' took longer than the load timeout ({options.Value.LoadTimeout}).");
        }

        if (!loaded)
        {
            throw new InvalidOperationException($"Cannot load '{key}': the store has no such object.");
        }

        costs.ObjectLoaded();
    }

    private async Task ForgetNodeAsync()
    {
        gateways.SetNode(null, null);
        _publishedNode = null;
        await loader.ResetAsync();
    }

    /// <summary>The running node (booted if needed), named to the gateways once per life.</summary>
    private async Task<CacheNodeEndpoint> EnsureNodeAsync(CancellationToken cancellationToken)
    {
        var endpoint = await node.StartAsync(cancellationToken);
        if (_publishedNode != endpoint)
        {
            gateways.SetNode(Guid.NewGuid().ToString("N"), endpoint.ToString());
            _publishedNode = endpoint;
            logger.LogInformation("Cache node {Endpoint} named to the gateways", endpoint);
        }

        return endpoint;
    }
}
