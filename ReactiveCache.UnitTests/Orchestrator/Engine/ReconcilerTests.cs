using Microsoft.Extensions.Hosting;
using ReactiveCache.Core.Link;
using ReactiveCache.Core.Protos.Function;
using ReactiveCache.Core.Routing;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Orchestrator.Engine;
using ReactiveCache.Orchestrator.Gateways;

namespace ReactiveCache.UnitTests.Orchestrator.Engine;

/// <summary>
/// A restarted orchestrator's reconciliation: it ends when the gateways report (not on a polling clock), its window
/// counts from when the server listens, and a gateway that reports late never gets a table emptier than what is really
/// there (an empty one would overwrite the routes it serves with).
/// </summary>
public sealed class ReconcilerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly EngineOptions Reconciling = new() { ReconcileWindow = TimeSpan.FromSeconds(15), FunctionRedialWindow = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task The_reconciliation_ends_when_the_gateway_reports_without_the_clock_moving()
    {
        await using var rig = new EngineRig(new ScriptedPolicy(_ => []), new FailingObjectStore(() => new IOException()), Reconciling);
        await rig.StartAsync();
        rig.Hub.Connect("invocation-k", ["k"]);

        rig.Gateways.Open(Report("g1", version: 7, ("k", CacheLayer.Lambda)));

        // The fake clock never moves: only the report (and the function already connected) can end the waits.
        await rig.Reconciler.Completed.WaitAsync(Timeout);
        Assert.Equal(CacheLayer.Lambda, rig.Gateways.Routes.Lookup("k"));
        Assert.Equal(1, rig.Reconciler.Result!.GatewaysReported);
    }

    [Fact]
    public async Task A_gateway_that_reports_after_a_slow_server_start_keeps_its_routes()
    {
        var lifetime = new ManualLifetime();
        await using var rig = new EngineRig(new ScriptedPolicy(_ => []), new FailingObjectStore(() => new IOException()), Reconciling, lifetime: lifetime);
        await rig.StartAsync();

        // A loaded machine: the server listens 20 s after the process started (longer than the window). Until then no
        // gateway and no function can reach the orchestrator.
        for (var second = 0; second < 20; second++)
        {
            rig.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        Assert.True(rig.Gateways.Reconciling, "the window starts when the server listens, not before");

        lifetime.Listen();
        rig.Hub.Connect("invocation-k", ["k"]);
        var session = rig.Gateways.Open(Report("g1", version: 7, ("k", CacheLayer.Lambda)));
        await rig.Reconciler.Completed.WaitAsync(Timeout);

        var snapshot = Snapshot(session);
        Assert.Equal([("k", CacheLayer.Lambda)], snapshot.Routes.ToRoutes().Select(r => (r.Key, r.Value)));
        Assert.True(snapshot.Version > 7, "the rebuilt table is newer than the gateway's");
        Assert.Equal(0, rig.Node.Starts);
    }

    [Fact]
    public async Task A_gateway_that_reports_after_the_window_gets_what_is_really_there_not_an_empty_table()
    {
        var policy = new ScriptedPolicy(_ => []);
        await using var rig = new EngineRig(policy, new FailingObjectStore(() => new IOException()), Reconciling);
        await rig.StartAsync();
        rig.Hub.Connect("invocation-k", ["k"]);

        // No gateway within the window: the orchestrator takes what is really there (the function's key).
        await Eventually.HoldsAsync(() =>
        {
            rig.Time.Advance(TimeSpan.FromSeconds(1));
            return rig.Reconciler.Completed.IsCompleted;
        }, Timeout, "the reconciliation ended with the window");
        Assert.Equal(0, rig.Reconciler.Result!.GatewaysReported);

        // The gateway comes late, still routing the function's key and a key whose function is gone.
        var session = rig.Gateways.Open(Report("g1", version: 7, ("k", CacheLayer.Lambda), ("gone", CacheLayer.Lambda)));
        var snapshot = Snapshot(session);
        Assert.Equal([("k", CacheLayer.Lambda)], snapshot.Routes.ToRoutes().Select(r => (r.Key, r.Value)));
        Assert.Contains(policy.Heard, e => e is { Kind: PolicyEventKind.KeyRestored, Key: "k", Layer: CacheLayer.Lambda });
        Assert.Equal(0, rig.Node.Starts);
    }

    [Fact]
    public async Task A_function_that_dials_back_after_the_reconciliation_is_adopted_when_nothing_else_holds_its_key()
    {
        var policy = new ScriptedPolicy(_ => []);
        await using var rig = new EngineRig(policy, new FailingObjectStore(() => new IOException()), Reconciling);
        await rig.StartAsync();
        rig.Gateways.Open(Report("g1", version: 7));
        await rig.Reconciler.Completed.WaitAsync(Timeout);

        // Slow: the previous orchestrator's function dials its control stream only now.
        var late = rig.Hub.Connect("invocation-late", ["k"]);

        await Eventually.HoldsAsync(() => policy.Heard.Any(e => e is { Kind: PolicyEventKind.KeyRestored, Key: "k", Layer: CacheLayer.Lambda }), Timeout,
            "the policy took the key up on its function", () => string.Join(", ", policy.Heard.Select(e => $"{e.Kind}({e.Key})")));
        Assert.False(late.Commands.Reader.TryRead(out var told), $"the adopted function was told {told}");

        // Taken over like the functions found in the window: its end is its control stream's (gone past the grace).
        rig.Hub.Disconnect(late);
        await Eventually.HoldsAsync(() =>
        {
            rig.Time.Advance(TimeSpan.FromSeconds(1));
            return policy.Heard.Any(e => e is { Kind: PolicyEventKind.FunctionEnded, Key: "k" });
        }, Timeout, "the policy heard the adopted function end");
    }

    [Fact]
    public async Task A_function_that_dials_back_after_the_reconciliation_is_told_to_go_when_its_key_has_a_function_or_is_on_the_node()
    {
        var policy = new ScriptedPolicy(_ => []);
        await using var rig = new EngineRig(policy, new FailingObjectStore(() => new IOException()), Reconciling);
        await rig.StartAsync();
        var first = rig.Hub.Connect("invocation-k", ["k"]);
        rig.Gateways.Open(Report("g1", version: 7, ("k", CacheLayer.Lambda)));
        await rig.Reconciler.Completed.WaitAsync(Timeout);
        rig.Gateways.SetRoute("r", CacheLayer.Redis);

        // Two slow functions: one for the key that has a function already, one for a key on the node.
        var second = rig.Hub.Connect("invocation-late-k", ["k"]);
        var onNode = rig.Hub.Connect("invocation-late-r", ["r"]);

        using var wait = new CancellationTokenSource(Timeout);
        Assert.Equal(ControlCommand.CommandOneofCase.Shutdown, (await second.Commands.Reader.ReadAsync(wait.Token)).CommandCase);
        Assert.Equal(ControlCommand.CommandOneofCase.Shutdown, (await onNode.Commands.Reader.ReadAsync(wait.Token)).CommandCase);
        Assert.False(first.Commands.Reader.TryRead(out var told), $"the key's first function was told {told}");
        // The policy hears the reconciliation's events on its own loop: wait for the one it must hear, then check it heard no more.
        await Eventually.HoldsAsync(() => policy.Heard.Any(e => e is { Kind: PolicyEventKind.KeyRestored, Key: "k" }), Timeout,
            "the policy took the key up on its first function", () => string.Join(", ", policy.Heard.Select(e => $"{e.Kind}({e.Key})")));
        Assert.Single(policy.Heard, e => e is { Kind: PolicyEventKind.KeyRestored, Key: "k" });
        Assert.DoesNotContain(policy.Heard, e => e is { Kind: PolicyEventKind.KeyRestored, Key: "r" });
        Assert.DoesNotContain(policy.Heard, e => e is { Kind: PolicyEventKind.FunctionReady });
    }

    /// <summary>A gateway's hello: its route version, its routes, and a function for each Lambda route.</summary>
    private static Hello Report(string gatewayId, ulong version, params (string Key, CacheLayer Layer)[] routes)
    {
        var hello = new Hello { GatewayId = gatewayId, InstanceId = gatewayId + "-instance", RouteVersion = version };
        foreach (var (key, layer) in routes)
        {
            hello.Routes.Add(KeyValuePair.Create(key, layer).ToWire());
            if (layer == CacheLayer.Lambda)
            {
                hello.Functions.Add(new ConnectedFunction { InvocationId = "invocation-" + key, Keys = { key } });
            }
        }

        return hello;
    }

    /// <summary>The snapshot the session was sent (it is sent only once the reconciliation is done).</summary>
    private static RouteSnapshot Snapshot(GatewaySessions.Session session)
    {
        while (session.Outbox.TryRead(out var message))
        {
            if (message.KindCase == OrchestratorMessage.KindOneofCase.Snapshot)
            {
                return message.Snapshot;
            }
        }

        throw new Xunit.Sdk.XunitException("The gateway was sent no snapshot.");
    }

    /// <summary>A host whose server starts listening when the test says so.</summary>
    private sealed class ManualLifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _started = new();

        public CancellationToken ApplicationStarted => _started.Token;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void Listen() => _started.Cancel();

        public void StopApplication()
        {
        }
    }
}
