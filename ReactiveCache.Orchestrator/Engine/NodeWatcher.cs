using Microsoft.Extensions.Options;
using ReactiveCache.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.Telemetry;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>
/// Watches the running node: its process (local) or instance (EC2) every <see cref="EngineOptions.NodeWatchInterval"/>,
/// and a PING. A node whose process or instance is gone, or that misses <see cref="EngineOptions.NodeWatchMisses"/>
/// PINGs in a row, is lost: <see cref="NodeCommands.LostAsync"/> runs on the node's work queue (after the work
/// before it), which ends the run, tells the gateways and the policy.
/// </summary>
public sealed class NodeWatcher(
    CacheNodeController controller,
    ICacheNode node,
    NodeLoader loader,
    NodeWorkQueue work,
    NodeCommands commands,
    TimeProvider time,
    IOptions<EngineOptions> options,
    ILogger<NodeWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        CacheNodeEndpoint? watched = null;
        var misses = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(o.NodeWatchInterval, time, stoppingToken);
                var endpoint = controller.Endpoint;
                if (endpoint != watched)
                {
                    (watched, misses) = (endpoint, 0);
                }

                if (endpoint is null)
                {
                    continue;
                }

                try
                {
                    string reason;
                    if (!await node.IsRunningAsync(stoppingToken))
                    {
                        reason = "its process or instance is gone";
                    }
                    else if (await loader.PingAsync(endpoint, o.NodeWatchInterval))
                    {
                        misses = 0;
                        continue;
                    }
                    else if (++misses < o.NodeWatchMisses)
                    {
                        continue;
                    }
                    else
                    {
                        reason = $"it missed {misses} PINGs in a row";
                    }

                    logger.LogWarning("The cache node at {Endpoint} looks dead: {Reason}", endpoint, reason);
                    watched = null;
                    work.Enqueue("NodeLost", _ => commands.LostAsync(endpoint, reason));
                }
                catch (Exception failure) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LoopFailed(failure, "node-watch", "check");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
