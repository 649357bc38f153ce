using System.Threading.Channels;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Orchestrator.Telemetry;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>
/// The cache node's commands (start, load, evict, drain, stop), run one after another in the order they were
/// queued: a load never overtakes the start before it, a stop never the load. A command that fails is logged,
/// counted and reported to the policy (<see cref="PolicyEventKind.NodeCommandFailed"/>); the ones after it still run.
/// </summary>
public sealed class NodeWorkQueue(PolicyInbox inbox, TimeProvider time, ILogger<NodeWorkQueue> logger) : BackgroundService
{
    private const string Loop = "node";
    private readonly Channel<NodeWork> _work = Channel.CreateUnbounded<NodeWork>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues <paramref name="work"/>, the node's part of <paramref name="command"/> (for <paramref name="key"/>, or empty).</summary>
    public void Enqueue(PolicyCommandKind command, string key, Func<CancellationToken, Task> work) =>
        _work.Writer.TryWrite(new NodeWork(command, key, work));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var item in _work.Reader.ReadAllAsync(stoppingToken))
            {
                await RunAsync(item, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the command under way was cancelled, the queued ones are dropped.
        }
    }

    private async Task RunAsync(NodeWork item, CancellationToken stoppingToken)
    {
        try
        {
            await item.Work(stoppingToken);
        }
        catch (Exception failure) when (!stoppingToken.IsCancellationRequested)
        {
            // A timeout (OperationCanceledException not from stopping) is a failure like any other.
            logger.LoopFailed(failure, Loop, item.Command.ToString(), item.Key);
            inbox.Post(PolicyEvent.NodeCommandFailed(item.Command, item.Key, time.GetUtcNow()));
        }
    }

    private readonly record struct NodeWork(PolicyCommandKind Command, string Key, Func<CancellationToken, Task> Work);
}
