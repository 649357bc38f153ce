using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Orchestrator.Engine;

namespace ReactiveCache.UnitTests.Orchestrator.Engine;

/// <summary>
/// The engine applies the layers' size limits between the policy and the execution: a key over the function's limit is
/// never invoked nor routed to Lambda, one over the node's size never loaded there; keys under the limits go as before.
/// The limits are set small here (64 KiB) rather than relying on the defaults.
/// </summary>
public sealed class SizeLimitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private const long Limit = 64 * 1024;
    private const long Big = Limit + 1;
    private static readonly SizeLimitsOptions SmallLimits = new() { FunctionMaxBytes = Limit, NodeMaxBytes = Limit };

    private static SizedObjectStore Store() => new(new Dictionary<string, long> { ["big"] = Big, ["small"] = 1024 });

    [Fact]
    public async Task A_key_over_the_function_limit_gets_no_function_and_the_policy_hears_it_ended()
    {
        var policy = new ScriptedPolicy(e => e.Kind == PolicyEventKind.RequestReceived ? [PolicyCommand.InvokeFunction(e.Key, TimeSpan.FromSeconds(1))] : []);
        await using var rig = new EngineRig(policy, Store(), sizeLimits: SmallLimits);
        await rig.StartAsync();

        rig.Post(PolicyEvent.RequestReceived("big", DateTimeOffset.UnixEpoch, CacheLayer.S3));
        rig.Post(PolicyEvent.RequestReceived("small", DateTimeOffset.UnixEpoch, CacheLayer.S3));

        await Eventually.HoldsAsync(() => policy.Heard.Count(e => e.Kind == PolicyEventKind.FunctionEnded) == 2, Timeout,
            "both functions ended", () => string.Join(", ", policy.Heard.Select(e => $"{e.Kind}({e.Key})")));
        Assert.Equal(1, rig.Invoker.Invokes); // only the small key's
        Assert.Equal(Big, rig.Sizes.Known("big"));

        // The policy heard why, before the function's end (so that it does not ask again), and only for the big key.
        var heard = policy.Heard;
        var told = IndexOf(heard, e => e is { Kind: PolicyEventKind.ObjectTooLarge, Key: "big", Layer: CacheLayer.Lambda });
        Assert.InRange(told, 0, IndexOf(heard, e => e is { Kind: PolicyEventKind.FunctionEnded, Key: "big" }) - 1);
        Assert.DoesNotContain(heard, e => e is { Kind: PolicyEventKind.ObjectTooLarge, Key: "small" });
    }

    [Fact]
    public async Task The_policy_hears_every_layer_a_key_is_too_large_for_as_soon_as_its_size_is_read()
    {
        // Too large for the node only: its function is invoked, and the policy learns at that moment that the node cannot
        // take the key, before its requests would have it boot the node.
        var policy = new ScriptedPolicy(e => e.Kind == PolicyEventKind.RequestReceived ? [PolicyCommand.InvokeFunction(e.Key, TimeSpan.FromSeconds(1))] : []);
        await using var rig = new EngineRig(policy, Store(), sizeLimits: new SizeLimitsOptions { FunctionMaxBytes = 2 * Big, NodeMaxBytes = Limit });
        await rig.StartAsync();

        rig.Post(PolicyEvent.RequestReceived("big", DateTimeOffset.UnixEpoch, CacheLayer.S3));

        await Eventually.HoldsAsync(() => policy.Heard.Any(e => e.Kind == PolicyEventKind.FunctionEnded), Timeout, "the function ended");
        Assert.Equal(1, rig.Invoker.Invokes);
        Assert.Equal([CacheLayer.Redis], policy.Heard.Where(e => e.Kind == PolicyEventKind.ObjectTooLarge).Select(e => e.Layer));
    }

    [Fact]
    public async Task A_route_to_a_layer_the_key_is_too_large_for_is_dropped_and_the_key_stays_on_s3()
    {
        var policy = new ScriptedPolicy(e => e.Kind == PolicyEventKind.RequestReceived ? [PolicyCommand.SetRoute(e.Key, CacheLayer.Lambda)] : []);
        await using var rig = new EngineRig(policy, Store(), sizeLimits: SmallLimits);
        await rig.StartAsync();
        await rig.Sizes.SizeAsync("big", CancellationToken.None);
        await rig.Sizes.SizeAsync("small", CancellationToken.None);

        rig.Post(PolicyEvent.RequestReceived("big", DateTimeOffset.UnixEpoch, CacheLayer.S3));
        rig.Post(PolicyEvent.RequestReceived("small", DateTimeOffset.UnixEpoch, CacheLayer.S3));

        // Events are handled in order: once the small key is routed, the big one's command was dealt with.
        await Eventually.HoldsAsync(() => rig.Gateways.Routes.Lookup("small") == CacheLayer.Lambda, Timeout, "the small key is routed to lambda");
        Assert.Equal(CacheLayer.S3, rig.Gateways.Routes.Lookup("big"));

        // Told when its size was read, and told again at the refusal (a policy that forgot the key hears it again).
        await Eventually.HoldsAsync(() => policy.Heard.Count(e => e is { Kind: PolicyEventKind.ObjectTooLarge, Key: "big", Layer: CacheLayer.Lambda }) == 2,
            Timeout, "the policy heard of the refused route");
    }

    [Fact]
    public async Task A_key_over_the_node_size_is_never_loaded_and_the_policy_hears_the_load_failed()
    {
        var policy = new ScriptedPolicy(e => e.Kind == PolicyEventKind.RequestReceived ? [PolicyCommand.LoadObject(e.Key)] : []);
        await using var rig = new EngineRig(policy, Store(), sizeLimits: SmallLimits);
        await rig.StartAsync();

        // Refused before anything else (here the node is not even running: an allowed key fails for that instead).
        await Assert.ThrowsAsync<ObjectTooLargeException>(() => rig.Commands.LoadAsync("big", CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Commands.LoadAsync("small", CancellationToken.None));

        rig.Post(PolicyEvent.RequestReceived("big", DateTimeOffset.UnixEpoch, CacheLayer.S3));
        await Eventually.HoldsAsync(() => policy.Heard.Any(e => e is { Kind: PolicyEventKind.NodeCommandFailed, Command: PolicyCommandKind.LoadObject, Key: "big" }),
            Timeout, "the policy heard the load failed");
        Assert.DoesNotContain(policy.Heard, e => e.Kind == PolicyEventKind.ObjectLoaded);

        // Its size was read by the first (direct) load: the refused load of the policy is told again, before its failure.
        var heard = policy.Heard;
        var failed = IndexOf(heard, e => e is { Kind: PolicyEventKind.NodeCommandFailed, Key: "big" });
        Assert.Contains(heard.Take(failed), e => e is { Kind: PolicyEventKind.ObjectTooLarge, Key: "big", Layer: CacheLayer.Redis });
        Assert.Equal(2, heard.Count(e => e is { Kind: PolicyEventKind.ObjectTooLarge, Key: "big", Layer: CacheLayer.Redis }));
    }

    private static int IndexOf(IReadOnlyList<PolicyEvent> heard, Func<PolicyEvent, bool> match)
    {
        for (var i = 0; i < heard.Count; i++)
        {
            if (match(heard[i]))
            {
                return i;
            }
        }

        return -1;
    }

    [Fact]
    public void The_function_limit_follows_the_functions_memory_unless_set()
    {
        const long MiB = 1024 * 1024;
        Assert.Equal(448 * MiB, new SizeLimitsOptions().ToLimits().FunctionMaxBytes);
        Assert.Equal(960 * MiB, new SizeLimitsOptions { FunctionMemoryMb = 2048 }.ToLimits().FunctionMaxBytes);
        Assert.Equal(Limit, new SizeLimitsOptions { FunctionMemoryMb = 2048, FunctionMaxBytes = Limit }.ToLimits().FunctionMaxBytes);
    }
}
