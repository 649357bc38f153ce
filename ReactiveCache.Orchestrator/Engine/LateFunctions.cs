using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Orchestrator.Control;
using ReactiveCache.Orchestrator.Functions;
using ReactiveCache.Orchestrator.Gateways;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>
/// A function that dials its control stream after the <see cref="Reconciler"/> is done and that this orchestrator did not
/// start: an earlier life's function that was slow to dial back. It is never left running untracked, and a key never has
/// two functions: it is adopted when nothing else has its keys (no function of this orchestrator's running or starting
/// for them, no other function connected with them, no pin, no route, and the policy holds them on S3): taken over like
/// the functions found at reconciliation (its end is its control stream's), and the policy hears
/// <see cref="PolicyEventKind.KeyRestored"/> on Lambda, then the function ready, so that it routes the key to it.
/// Otherwise it alone (not the key's other function) is told to shut down.
/// <para>The policy's state is read from its projection (<see cref="ObjectStates"/>), as of its last step; a request it
/// has not handled yet may still start a function for a key adopted here.</para>
/// </summary>
public sealed class LateFunctions(
    FunctionControlHub hub,
    FunctionLauncher launcher,
    FunctionRunner functions,
    RoutePins pins,
    ObjectStates states,
    GatewaySessions gateways,
    Reconciler reconciler,
    PolicyInbox inbox,
    TimeProvider time,
    ILogger<LateFunctions> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        hub.FunctionConnected += OnConnected;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        hub.FunctionConnected -= OnConnected;
        return Task.CompletedTask;
    }

    private void OnConnected(string invocationId, IReadOnlyList<string> keys)
    {
        // This orchestrator's own function, or one the reconciliation has: not late.
        if (launcher.IsRunning(invocationId) || reconciler.Claims(invocationId))
        {
            return;
        }

        if (keys.FirstOrDefault(key => IsTaken(key, invocationId)) is { } taken)
        {
            logger.LogInformation("Function invocation {Invocation} dialled back after the reconciliation; {Key} is held elsewhere: shutting it down",
                invocationId, taken);
            hub.ShutdownInvocation(invocationId);
            return;
        }

        logger.LogInformation("Function invocation {Invocation} dialled back after the reconciliation: adopted for {Keys}", invocationId,
            string.Join(", ", keys));
        reconciler.TakeOver(invocationId, keys);
        var now = time.GetUtcNow();
        foreach (var key in keys)
        {
            inbox.Post(PolicyEvent.KeyRestored(key, CacheLayer.Lambda, now));
            inbox.Post(PolicyEvent.FunctionReady(key, now));
        }
    }

    private bool IsTaken(string key, string invocationId) =>
        pins.LayerOf(key) is not null
        || functions.IsRunning(key)
        || hub.HeldByAnother(key, invocationId)
        || gateways.Routes.Lookup(key) != CacheLayer.S3
        || states.Find(key) is { } view && view.State != nameof(ObjectState.S3);
}
