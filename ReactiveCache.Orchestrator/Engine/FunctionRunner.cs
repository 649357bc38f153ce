using System.Collections.Concurrent;
using System.Diagnostics;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Orchestrator.Costs;
using ReactiveCache.Orchestrator.Functions;
using ReactiveCache.Orchestrator.Telemetry;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>
/// Starts functions for the engine and tells the policy how each one goes: ready when it connects its control
/// stream (its tunnel opens at the same time), ended when its invocation returns, however it returns.
/// </summary>
public sealed class FunctionRunner
{
    private readonly FunctionLauncher _launcher;
    private readonly ObjectSizes _sizes;
    private readonly PolicyInbox _inbox;
    private readonly CostMeter _costs;
    private readonly TimeProvider _time;
    private readonly ILogger<FunctionRunner> _logger;

    /// <summary>When each key's function was invoked (a timestamp of <see cref="_time"/>), until it connects.</summary>
    private readonly ConcurrentDictionary<string, long> _invoked = new(StringComparer.Ordinal);

    /// <summary>How many invocations of each key have not returned yet.</summary>
    private readonly ConcurrentDictionary<string, int> _running = new(StringComparer.Ordinal);

    public FunctionRunner(FunctionLauncher launcher, FunctionControlHub control, PolicyInbox inbox, CostMeter costs, ObjectSizes sizes, TimeProvider time,
        ILogger<FunctionRunner> logger)
    {
        (_launcher, _inbox, _costs, _sizes, _time, _logger) = (launcher, inbox, costs, sizes, time, logger);
        control.FunctionConnected += (invocationId, keys) =>
        {
            // Only this orchestrator's own functions are ready for the policy; one an earlier life started is the
            // reconciliation's (or, dialling after it, LateFunctions').
            if (!_launcher.IsRunning(invocationId))
            {
                return;
            }

            foreach (var key in keys)
            {
                RecordActivation(key);
                Raise(Ready, nameof(Ready), key);
                _inbox.Post(PolicyEvent.FunctionReady(key, _time.GetUtcNow()));
            }
        };
    }

    /// <summary>A function holding the key is ready (raised before the policy hears it).</summary>
    public event Action<string>? Ready;

    /// <summary>A function holding the key ended (raised before the policy hears it).</summary>
    public event Action<string>? Ended;

    /// <summary>Whether a function invoked for <paramref name="key"/> has not returned yet (connected or still starting).</summary>
    public bool IsRunning(string key) => _running.TryGetValue(key, out var count) && count > 0;

    /// <summary>The keys with a function invoked for them that has not returned yet.</summary>
    public IReadOnlyList<string> RunningKeys => [.. _running.Where(r => r.Value > 0).Select(r => r.Key)];

    /// <summary>
    /// Invokes a function holding <paramref name="key"/> for a life of <paramref name="tick"/>; completes when it ends. Never
    /// throws. The policy hears of its end unless <paramref name="tellPolicy"/> is false (a pin's function). A key larger than
    /// the function's size limit is not invoked at all: it ends at once (<see cref="ObjectSizes"/>).
    /// </summary>
    public async Task RunAsync(string key, TimeSpan tick, bool tellPolicy = true)
    {
        _invoked[key] = _time.GetTimestamp();
        _running.AddOrUpdate(key, 1, static (_, n) => n + 1);
        try
        {
            await _sizes.EnsureFitsAsync(key, Domain.CacheLayer.Lambda, CancellationToken.None);
            var invocation = await _launcher.InvokeAsync([key], tick, FunctionInvocationType.RequestResponse, CancellationToken.None);
            if (invocation.Result is { } result)
            {
                _costs.FunctionEnded(result.LifeMs, result.Warm);
            }
            else
            {
                _logger.LogWarning("The function for {Key} failed: {Status} {Error}", key, invocation.StatusCode, invocation.FunctionError);
            }
        }
        catch (ObjectTooLargeException e)
        {
            _logger.LogWarning("No function for {Key}: {Reason}", key, e.Message);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Invoking the function for {Key} failed", key);
        }
        finally
        {
            _invoked.TryRemove(key, out _);
            if (_running.AddOrUpdate(key, 0, static (_, n) => n - 1) <= 0)
            {
                _running.TryRemove(new KeyValuePair<string, int>(key, 0));
            }

            Raise(Ended, nameof(Ended), key);
            if (tellPolicy)
            {
                _inbox.Post(PolicyEvent.FunctionEnded(key, _time.GetUtcNow()));
            }
        }
    }

    /// <summary>
    /// A function's start-up, invoke to connected: a span of its own (a trace on the dashboard, with its duration)
    /// and the activation histogram. A function that connects again within one life is not a start-up.
    /// </summary>
    private void RecordActivation(string key)
    {
        if (!_invoked.TryRemove(key, out var invoked))
        {
            return;
        }

        var elapsed = _time.GetElapsedTime(invoked);
        OrchestratorTelemetry.FunctionActivation.Record(elapsed.TotalMilliseconds);
        using var activity = OrchestratorTelemetry.Source.StartActivity("function activation", ActivityKind.Internal, parentContext: default,
            startTime: _time.GetUtcNow() - elapsed);
        activity?.SetTag("reactivecache.key", key);
        activity?.SetTag("reactivecache.activation_ms", elapsed.TotalMilliseconds);
    }

    /// <summary>A listener that throws is logged and counted: the policy still hears of the function.</summary>
    private void Raise(Action<string>? listeners, string name, string key)
    {
        try
        {
            listeners?.Invoke(key);
        }
        catch (Exception failure)
        {
            _logger.LoopFailed(failure, "functions", name, key);
        }
    }
}
