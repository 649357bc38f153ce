using System.Threading.Channels;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Orchestrator.Telemetry;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>
/// The cache node's work (start, load, evict, drain, stop; a lost node's clean-up), run one item after another in the
/// order it was queued: a load never overtakes the start before it, a stop never the load. A policy command that
/// fails is logged, counted and reported to the policy (<see cref="PolicyEventKind.NodeCommandFailed"/>); the items
/// after it still run.
/// </summary>
public sealed class NodeWorkQueue(PolicyInbox inbox, TimeProvider time, ILogger<NodeWorkQueue> logger) : BackgroundService
{
    private const string Loop = "node";
    private readonly Channel<NodeWork> _work = Channel.CreateUnbounded<NodeWork>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues <paramref name="work"/>, the node's part of <paramref name="command"/> (for <paramref name="key"/>, or empty).</summary>
    public void Enqueue(PolicyCommandKind command, string key, Func<CancellationToken, Task> work) =>
        _work.Writer.TryWrite(new NodeWork(command, command.ToString(), key, work));

    /// <summary>Queues work that is no policy command (<paramref name="name"/> in logs): a failure is logged and counted only.</summary>
    public void Enqueue(string name, Func<CancellationToken, Task> work) =>
        _work.Writer.TryWrite(new NodeWork(null, name, "", work));

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
            logger.LoopFailed(failure, Loop, item.Name, item.Key);
            if (item.Command is { } command)
            {
                inbox.Post(PolicyEvent.NodeCommandFailed(command, item.Key, time.GetUtcNow()));
            }
        }
    }

    private readonly record struct NodeWork(PolicyCommandKind? Command, string Name, string Key, Func<CancellationToken, Task> Work);
}
