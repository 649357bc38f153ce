using ReactiveCache.Domain.Policy;
using ReactiveCache.Orchestrator.Control;
using ReactiveCache.Orchestrator.Telemetry;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>
/// Runs the policy live, on one thread: feeds it the inbox's events in order, runs its periodic work when it
/// is due, hands its commands to the executor, activates the pins the policy let go of, and brings the changed objects
/// up to date in the projection (which checks that each one's route matches its state). An event the policy throws on
/// is logged, counted and passed over: the events after it are still handled. A restarted orchestrator's
/// <see cref="Reconciler"/> runs first: no event is handled before it has restored what it found.
/// </summary>
public sealed class PolicyLoop(
    ICachePolicy policy,
    PolicyInbox inbox,
    CommandExecutor executor,
    RoutePins pins,
    ObjectStates states,
    Reconciler reconciler,
    TimeProvider time,
    ILogger<PolicyLoop> logger) : BackgroundService
{
    private const string Loop = "policy";
    private readonly List<PolicyCommand> _commands = [];
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);
    private readonly List<string> _pinned = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Task<bool>? waiting = null;
        try
        {
            await reconciler.Completed.WaitAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                waiting ??= inbox.WaitToReadAsync(stoppingToken).AsTask();
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
        var everyKey = false;
        while (inbox.TryRead(out var e))
        {
            try
            {
                policy.Handle(e, _commands);
                states.Record(e);
                if (e.Key.Length == 0)
                {
                    everyKey = true;
                }
                else
                {
                    _touched.Add(e.Key);
                    if (e.Kind == PolicyEventKind.KeyPinned)
                    {
                        _pinned.Add(e.Key);
                    }
                }
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
        foreach (var key in _pinned)
        {
            // The policy let go of the key and its commands for that are out: now the pin takes effect.
            Guard("pin", () => pins.Activate(key));
        }

        foreach (var command in _commands)
        {
            if (command.Key.Length > 0)
            {
                _touched.Add(command.Key);
            }
        }

        foreach (var key in everyKey ? policy.Keys.Concat(_touched).Distinct() : _touched)
        {
            Guard("publish", () => states.Publish(key));
        }

        _commands.Clear();
        _touched.Clear();
        _pinned.Clear();
    }

    private void Guard(string item, Action action)
    {
        try
        {
            action();
        }
        catch (Exception failure)
        {
            logger.LoopFailed(failure, Loop, item);
        }
    }
}
