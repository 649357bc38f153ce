using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;

namespace ReactiveCache.UnitTests.Domain;

/// <summary>The layers' size limits: over the function's 6 MB cap never Lambda, over the node's size never Redis, S3 always.</summary>
public sealed class LayerSizeLimitsTests
{
    private static readonly LayerSizeLimits Limits = new(LayerSizeLimits.FunctionResponseCap, NodeMaxBytes: 64L * 1024 * 1024);

    [Fact]
    public void The_function_cap_is_lambdas_6_MB_response_payload_by_default()
    {
        Assert.Equal(6L * 1024 * 1024, LayerSizeLimits.Default.FunctionMaxBytes);
        Assert.Equal(LayerSizeLimits.FunctionResponseCap, LayerSizeLimits.Default.MaxBytes(CacheLayer.Lambda));
    }

    [Fact]
    public void A_key_over_the_function_cap_is_never_invoked_nor_routed_to_lambda()
    {
        const long size = LayerSizeLimits.FunctionResponseCap + 1;

        Assert.False(Limits.Allows(CacheLayer.Lambda, size));
        Assert.False(Limits.Allows(PolicyCommand.InvokeFunction("k", TimeSpan.FromSeconds(1)), size));
        Assert.False(Limits.Allows(PolicyCommand.SetRoute("k", CacheLayer.Lambda), size));
        Assert.True(Limits.Allows(PolicyCommand.LoadObject("k"), size));
        Assert.True(Limits.Allows(PolicyCommand.SetRoute("k", CacheLayer.Redis), size));
        Assert.Equal(new[] { CacheLayer.Lambda }, Limits.TooLargeFor(size));
    }

    [Fact]
    public void A_key_over_the_node_size_is_never_loaded_nor_routed_to_redis()
    {
        const long size = 64L * 1024 * 1024 + 1;

        Assert.False(Limits.Allows(PolicyCommand.LoadObject("k"), size));
        Assert.False(Limits.Allows(PolicyCommand.SetRoute("k", CacheLayer.Redis), size));
        Assert.True(Limits.Allows(PolicyCommand.SetRoute("k", CacheLayer.S3), size));
        Assert.True(Limits.Allows(PolicyCommand.RemoveRoute("k"), size));
        Assert.Equal(new[] { CacheLayer.Lambda, CacheLayer.Redis }, Limits.TooLargeFor(size));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1024L)]
    [InlineData(LayerSizeLimits.FunctionResponseCap)]
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
