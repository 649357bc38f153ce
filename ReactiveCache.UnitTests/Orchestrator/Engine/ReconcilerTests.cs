using Microsoft.Extensions.Hosting;
using ReactiveCache.Core.Link;
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
