using ReactiveCache.Core.Link;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;

namespace ReactiveCache.UnitTests.Orchestrator.Engine;

/// <summary>The policy loop and the gateway-event pump go past an item they fail on.</summary>
public sealed class EngineLoopFailureTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task An_event_the_policy_throws_on_does_not_stop_the_loop()
    {
        var policy = new ScriptedPolicy(e => e.Key switch
        {
            "boom" => throw new InvalidOperationException("A policy bug."),
            "later" => [PolicyCommand.StartNode()],
            _ => [],
        });
        await using var rig = new EngineRig(policy, new FailingObjectStore(() => new IOException(), "none"));
        await rig.StartAsync();

        rig.Post(PolicyEvent.RequestReceived("boom", DateTimeOffset.UnixEpoch, CacheLayer.S3));
        rig.Post(PolicyEvent.RequestReceived("later", DateTimeOffset.UnixEpoch, CacheLayer.S3));

        await Eventually.HoldsAsync(() => policy.Heard.Any(e => e.Kind == PolicyEventKind.NodeReady), Timeout,
            "the event after the one the policy threw on was handled and its command carried out",
            () => string.Join(", ", policy.Heard.Select(e => $"{e.Kind}({e.Key})")));
        Assert.Equal(1, rig.Node.Starts);
    }

    [Fact]
    public async Task A_gateway_event_that_cannot_be_read_does_not_stop_the_pump()
    {
        var policy = new ScriptedPolicy(_ => []);
        await using var rig = new EngineRig(policy, new FailingObjectStore(() => new IOException(), "none"));
        await rig.StartAsync();

        // A receive time past the year 9999: no DateTimeOffset holds it.
        rig.Gateways.Events.Writer.TryWrite(new RequestEvent { Key = "bad", ReceivedUnixMs = long.MaxValue, ServedBy = Layer.S3, StatusCode = 200 });
        rig.Gateways.Events.Writer.TryWrite(new RequestEvent { Key = "good", ReceivedUnixMs = 1_000, ServedBy = Layer.Lambda, StatusCode = 200 });

        await Eventually.HoldsAsync(() => policy.Heard.Any(e => e.Key == "good"), Timeout, "the request after the unreadable one reached the policy");
        var heard = Assert.Single(policy.Heard);
        Assert.Equal(PolicyEvent.RequestReceived("good", DateTimeOffset.FromUnixTimeMilliseconds(1_000), CacheLayer.Lambda), heard);
    }
}
