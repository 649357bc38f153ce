using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;

namespace ReactiveCache.UnitTests.Domain;

/// <summary>
/// The layers' size limits: the function's follows from its memory (not from Lambda's response payload cap, which its
/// tunnel does not go through); over it never Lambda, over the node's size never Redis, S3 always.
/// </summary>
public sealed class LayerSizeLimitsTests
{
    private const long MiB = 1024 * 1024;
    private static readonly LayerSizeLimits Limits = new(FunctionMaxBytes: 8 * MiB, NodeMaxBytes: 64 * MiB);

    [Theory]
    [InlineData(1024, 448)] // the stack's and the emulator's default: (1024 − 128) / 2
    [InlineData(2048, 960)]
    [InlineData(10240, 5056)]
    [InlineData(128, 0)] // nothing left after the runtime's reserve
    public void The_function_limit_is_half_of_its_memory_after_the_runtime_reserve(int memoryMb, long expectedMiB) =>
        Assert.Equal(expectedMiB * MiB, LayerSizeLimits.FunctionMaxBytesFor(memoryMb));

    [Fact]
    public void By_default_a_function_takes_objects_far_over_lambdas_6_MB_response_cap_and_over_the_gateways_hold_back()
    {
        Assert.Equal(LayerSizeLimits.FunctionMaxBytesFor(LayerSizeLimits.FunctionDefaultMemoryMb), LayerSizeLimits.Default.FunctionMaxBytes);
        // The function-kill fault test streams a 100 MiB object from a function (past the gateway's 8 MiB hold-back).
        Assert.True(LayerSizeLimits.Default.Allows(CacheLayer.Lambda, 100 * MiB));
        Assert.False(LayerSizeLimits.Default.Allows(CacheLayer.Lambda, 449 * MiB));
    }

    [Fact]
    public void A_key_over_the_function_limit_is_never_invoked_nor_routed_to_lambda()
    {
        const long size = 8 * MiB + 1;

        Assert.False(Limits.Allows(CacheLayer.Lambda, size));
        Assert.False(Limits.Allows(PolicyCommand.InvokeFunction("k", TimeSpan.FromSeconds(1)), size));
        Assert.False(Limits.Allows(PolicyCommand.KeepRunning("k"), size));
        Assert.False(Limits.Allows(PolicyCommand.SetRoute("k", CacheLayer.Lambda), size));
        Assert.True(Limits.Allows(PolicyCommand.LoadObject("k"), size));
        Assert.True(Limits.Allows(PolicyCommand.SetRoute("k", CacheLayer.Redis), size));
        Assert.Equal(new[] { CacheLayer.Lambda }, Limits.TooLargeFor(size));
    }

    [Fact]
    public void A_key_over_the_node_size_is_never_loaded_nor_routed_to_redis()
    {
        const long size = 64 * MiB + 1;

        Assert.False(Limits.Allows(PolicyCommand.LoadObject("k"), size));
        Assert.False(Limits.Allows(PolicyCommand.SetRoute("k", CacheLayer.Redis), size));
        Assert.True(Limits.Allows(PolicyCommand.SetRoute("k", CacheLayer.S3), size));
        Assert.True(Limits.Allows(PolicyCommand.RemoveRoute("k"), size));
        Assert.Equal(new[] { CacheLayer.Lambda, CacheLayer.Redis }, Limits.TooLargeFor(size));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1024L)]
    [InlineData(8 * MiB)]
    public void Under_the_limits_every_command_is_allowed(long size)
    {
        PolicyCommand[] commands =
        [
            PolicyCommand.InvokeFunction("k", TimeSpan.FromSeconds(1)), PolicyCommand.KeepRunning("k"), PolicyCommand.LoadObject("k"),
            PolicyCommand.SetRoute("k", CacheLayer.Lambda), PolicyCommand.SetRoute("k", CacheLayer.Redis), PolicyCommand.EvictObject("k"),
        ];

        Assert.All(commands, command => Assert.True(Limits.Allows(command, size), $"{command} at {size} bytes"));
        Assert.Empty(Limits.TooLargeFor(size));
    }
}
