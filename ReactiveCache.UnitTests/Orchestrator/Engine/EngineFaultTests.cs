using ReactiveCache.Core.Link;
using ReactiveCache.Core.Protos.Function;
using ReactiveCache.Core.Routing;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Orchestrator.Engine;

namespace ReactiveCache.UnitTests.Orchestrator.Engine;

/// <summary>
/// The engine's side of failures: a hung boot times out and the policy hears it, a node that dies is found and reported
/// (and booted again when the policy asks), a pin freezes its key, a function leaves at the switch to the node only once
/// every gateway holds the new route, and a restarted orchestrator takes over a function instead of starting another.
/// </summary>
public sealed class EngineFaultTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_boot_that_hangs_past_the_boot_timeout_is_reported_failed_to_the_policy()
    {
        var policy = new ScriptedPolicy(e => e.Kind == PolicyEventKind.RequestReceived ? [PolicyCommand.StartNode()] : []);
        await using var rig = new EngineRig(policy, new FailingObjectStore(() => new IOException()),
            new EngineOptions { ReconcileWindow = TimeSpan.Zero, BootTimeout = TimeSpan.FromSeconds(1) });
        rig.Node.Boot = ct => Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, ct);
        await rig.StartAsync();

        rig.Post(PolicyEvent.RequestReceived("k", DateTimeOffset.UnixEpoch, CacheLayer.S3));

        await Eventually.HoldsAsync(() => policy.Heard.Any(e => e is { Kind: PolicyEventKind.NodeCommandFailed, Command: PolicyCommandKind.StartNode }),
            Timeout, "the policy heard the boot failed", () => string.Join(", ", policy.Heard.Select(e => e.Kind)));
        Assert.DoesNotContain(policy.Heard, e => e.Kind == PolicyEventKind.NodeReady);
    }

    [Fact]
    public async Task A_node_that_dies_is_found_reported_as_lost_and_booted_again_when_the_policy_asks()
    {
        var policy = new ScriptedPolicy(e => e.Kind == PolicyEventKind.RequestReceived ? [PolicyCommand.StartNode()] : []);
        await using var rig = new EngineRig(policy, new FailingObjectStore(() => new IOException()));
        await rig.StartAsync();
        rig.Post(PolicyEvent.RequestReceived("k", DateTimeOffset.UnixEpoch, CacheLayer.S3));
        await Eventually.HoldsAsync(() => policy.Heard.Any(e => e.Kind == PolicyEventKind.NodeReady), Timeout, "the node booted");

        rig.Node.Running = false; // its process exited
        await Eventually.HoldsAsync(() =>
        {
            rig.Time.Advance(new EngineOptions().NodeWatchInterval);
            return policy.Heard.Any(e => e.Kind == PolicyEventKind.NodeLost);
        }, Timeout, "the watcher found the node gone and the policy heard NodeLost", () => string.Join(", ", policy.Heard.Select(e => e.Kind)));

        // The policy boots a node again: the engine starts it (the lost one is no longer in its way).
        rig.Post(PolicyEvent.RequestReceived("k", DateTimeOffset.UnixEpoch, CacheLayer.S3));
        await Eventually.HoldsAsync(() => rig.Node.Starts == 2 && policy.Heard.Count(e => e.Kind == PolicyEventKind.NodeReady) == 2,
            Timeout, "a second node booted", () => string.Join(", ", policy.Heard.Select(e => e.Kind)));
        Assert.Single(policy.Heard, e => e.Kind == PolicyEventKind.NodeLost);
    }

    [Fact]
    public async Task A_pinned_key_is_left_alone_by_the_policy_until_the_pin_ends()
    {
        var policy = new ScriptedPolicy(e => e is { Kind: PolicyEventKind.RequestReceived, Key: "k" } ? [PolicyCommand.SetRoute("k", CacheLayer.Redis)] : []);
        await using var rig = new EngineRig(policy, new FailingObjectStore(() => new IOException()));
        await rig.StartAsync();

        rig.Pins.Pin("k", CacheLayer.S3);
        await Eventually.HoldsAsync(() => policy.Heard.Any(e => e.Kind == PolicyEventKind.KeyPinned) && rig.Pins.IsActive("k"), Timeout, "the pin took effect");
        rig.Post(PolicyEvent.RequestReceived("k", DateTimeOffset.UnixEpoch, CacheLayer.S3));
        await Eventually.HoldsAsync(() => policy.Heard.Count(e => e.Kind == PolicyEventKind.RequestReceived) == 1, Timeout, "the policy heard the GET");
        Assert.Equal(CacheLayer.S3, rig.Gateways.Routes.Lookup("k"));

        Assert.True(rig.Pins.Unpin("k"));
        await Eventually.HoldsAsync(() => policy.Heard.Any(e => e.Kind == PolicyEventKind.KeyUnpinned), Timeout, "the policy took the key back");
        rig.Post(PolicyEvent.RequestReceived("k", DateTimeOffset.UnixEpoch, CacheLayer.S3));
        await Eventually.HoldsAsync(() => rig.Gateways.Routes.Lookup("k") == CacheLayer.Redis, Timeout, "the policy's route applies again");
    }

    [Fact]
    public async Task At_the_switch_to_the_node_the_function_is_told_to_go_only_once_every_gateway_holds_the_new_route()
    {
        var policy = new ScriptedPolicy(e => e is { Kind: PolicyEventKind.RequestReceived, Key: "k" }
            ? [PolicyCommand.SetRoute("k", CacheLayer.Redis), PolicyCommand.ShutdownFunction("k")]
            : []);
        await using var rig = new EngineRig(policy, new FailingObjectStore(() => new IOException()));
        await rig.StartAsync();
        var gateway = rig.Gateways.Open(new Hello { GatewayId = "g1", InstanceId = "i1" });
        var function = rig.Hub.Connect("invocation-1", ["k"]);

        rig.Post(PolicyEvent.RequestReceived("k", DateTimeOffset.UnixEpoch, CacheLayer.Lambda));
        await Eventually.HoldsAsync(() => rig.Gateways.Routes.Lookup("k") == CacheLayer.Redis, Timeout, "the key is routed to the node");
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(function.Commands.Reader.TryRead(out var early), $"the function was told {early} before the gateway held the route");

        rig.Gateways.Acknowledge(gateway, new RouteAck { Version = rig.Gateways.Routes.Version });
        using var wait = new CancellationTokenSource(Timeout);
        var command = await function.Commands.Reader.ReadAsync(wait.Token);
        Assert.Equal(ControlCommand.CommandOneofCase.Shutdown, command.CommandCase);
    }

    [Fact]
    public async Task A_restarted_orchestrator_keeps_the_key_of_a_function_that_dials_back_on_Lambda_and_starts_no_node()
    {
        var policy = new ScriptedPolicy(_ => []);
        await using var rig = new EngineRig(policy, new FailingObjectStore(() => new IOException()),
            new EngineOptions { ReconcileWindow = TimeSpan.FromSeconds(15) });
        await rig.StartAsync();
        Assert.True(rig.Gateways.Reconciling);

        // The previous orchestrator's function dials its control stream again; its gateway reports what it holds.
        rig.Hub.Connect("invocation-1", ["k"]);
        var hello = new Hello { GatewayId = "g1", InstanceId = "i1", RouteVersion = 7 };
        hello.Routes.Add(KeyValuePair.Create("k", CacheLayer.Lambda).ToWire());
        hello.Functions.Add(new ConnectedFunction { InvocationId = "invocation-1", Keys = { "k" } });
        rig.Gateways.Open(hello);

        await Eventually.HoldsAsync(() =>
        {
            rig.Time.Advance(TimeSpan.FromMilliseconds(100));
            return policy.Heard.Any(e => e.Kind == PolicyEventKind.KeyRestored);
        }, Timeout, "the policy heard the key restored", () => string.Join(", ", policy.Heard.Select(e => e.Kind)));

        var restored = Assert.Single(policy.Heard, e => e.Kind == PolicyEventKind.KeyRestored);
        Assert.Equal((PolicyEventKind.KeyRestored, "k", CacheLayer.Lambda), (restored.Kind, restored.Key, restored.Layer));
        Assert.False(rig.Gateways.Reconciling);
        Assert.Equal(CacheLayer.Lambda, rig.Gateways.Routes.Lookup("k"));
        Assert.True(rig.Gateways.Routes.Version > 7, "the rebuilt table is newer than the gateway's");
        Assert.Equal(0, rig.Node.Starts);
    }
}
