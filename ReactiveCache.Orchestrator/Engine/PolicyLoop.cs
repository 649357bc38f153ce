using ReactiveCache.Domain.Policy;
using ReactiveCache.Orchestrator.Control;
using ReactiveCache.Orchestrator.Telemetry;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>
/// Runs the policy live, on one thread: feeds it the inbox's events in order, runs its periodic work when it
/// is due, hands its commands to the executor and the changed objects to the projection. An event the policy
/// throws on is logged, counted and passed over: the events after it are still handled.
/// </summary>
public sealed class PolicyLoop(
    ICachePolicy policy,
    PolicyInbox inbox,
    CommandExecutor executor,
    ObjectStates states,
    TimeProvider time,
    ILogger<PolicyLoop> logger) : BackgroundService
{
    private const string Loop = "policy";
    private readonly List<PolicyCommand> _commands = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Task<bool>? waiting = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                waiting ??= inbox.Reader.WaitToReadAsync(stoppingToken).AsTask();
                if (policy.NextDueAt is { } due)
                {
                    var delay = due - time.GetUtcNow();
                    if (delay > TimeSpan.Zero)
                    {
                        await Task.WhenAny(waiting, Task.Delay(delay, time, stoppingToken));
                    }
                }
                else
                {
                    await waiting;
                }

                if (waiting.IsCompleted)
                {
                    waiting = null;
                }

                Step();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One turn: every queued event, then the periodic work that is due, then the commands.</summary>
    private void Step()
    {
        while (inbox.Reader.TryRead(out var e))
        {
            try
            {
                policy.Handle(e, _commands);
                states.Record(e);
            }
            catch (Exception failure)
            {
                logger.LoopFailed(failure, Loop, e.Kind.ToString());
            }
        }

        if (policy.NextDueAt is { } due && due <= time.GetUtcNow())
        {
            try
            {
                policy.OnDue(_commands);
            }
            catch (Exception failure)
            {
                logger.LoopFailed(failure, Loop, nameof(ICachePolicy.OnDue));
            }
        }

        executor.Execute(_commands);
        foreach (var key in _commands.Select(c => c.Key).Where(k => k.Length > 0).Distinct())
        {
            try
            {
                states.Publish(key);
            }
            catch (Exception failure)
            {
                logger.LoopFailed(failure, Loop, "publish");
            }
        }

        _commands.Clear();
    }
}
