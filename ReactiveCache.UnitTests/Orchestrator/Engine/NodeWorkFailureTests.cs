using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;

namespace ReactiveCache.UnitTests.Orchestrator.Engine;

/// <summary>One node command that throws must not stop the ones after it, and the policy must hear of it.</summary>
public sealed class NodeWorkFailureTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static TheoryData<string> Failures => ["timeout", "io"];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_load_that_throws_is_reported_and_later_node_commands_still_run(string failure)
    {
        // The store times out (S3 clients throw TaskCanceledException for that) or fails reading "bad".
        Func<Exception> exception = failure == "timeout"
            ? () => new TaskCanceledException("The store did not answer in time.")
            : () => new IOException("The store's connection broke.");
        var policy = new ScriptedPolicy(e => e switch
        {
            { Kind: PolicyEventKind.RequestReceived, Key: "bad" } => [PolicyCommand.StartNode(), PolicyCommand.LoadObject("bad")],
            { Kind: PolicyEventKind.RequestReceived, Key: "later" } => [PolicyCommand.DrainGateways(), PolicyCommand.StopNode(), PolicyCommand.StartNode()],
            _ => [],
        });
        await using var rig = new EngineRig(policy, new FailingObjectStore(exception, "bad"));
        await rig.StartAsync();

        rig.Post(PolicyEvent.RequestReceived("bad", DateTimeOffset.UnixEpoch, CacheLayer.S3));
        await Eventually.HoldsAsync(() => rig.Node.Starts == 1, Timeout, "the node started");
        rig.Post(PolicyEvent.RequestReceived("later", DateTimeOffset.UnixEpoch, CacheLayer.S3));

        await Eventually.HoldsAsync(() => rig.Node.Stops == 1 && rig.Node.Starts == 2 && Kinds(policy).Count(k => k == PolicyEventKind.NodeReady) == 2,
            Timeout, "the stop and the start after the failed load ran", () => string.Join(", ", Kinds(policy)));
        var failed = Assert.Single(policy.Heard, e => e.Kind == PolicyEventKind.NodeCommandFailed);
        Assert.Equal((PolicyCommandKind.LoadObject, "bad"), (failed.Command, failed.Key));
        // In the queue's order: the failed load, then the stop, then the start.
        var kinds = Kinds(policy);
        Assert.True(kinds.IndexOf(PolicyEventKind.NodeCommandFailed) < kinds.IndexOf(PolicyEventKind.NodeStopped), string.Join(", ", kinds));
        Assert.True(kinds.IndexOf(PolicyEventKind.NodeStopped) < kinds.LastIndexOf(PolicyEventKind.NodeReady), string.Join(", ", kinds));
    }

    private static List<PolicyEventKind> Kinds(ScriptedPolicy policy) => [.. policy.Heard.Select(e => e.Kind)];
}
