using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReactiveCache.Orchestrator.CacheNode;

namespace ReactiveCache.UnitTests.Orchestrator.CacheNode;

/// <summary><c>CacheNode:LoopbackEndpoint</c>: a test setting that must never send the node's traffic elsewhere.</summary>
public sealed class CacheNodeOptionsTests
{
    [Theory]
    [InlineData("127.0.0.1:6379", true)]
    [InlineData("127.0.0.42:7000", true)]
    [InlineData("[::1]:6379", true)]
    [InlineData("10.42.1.10:6379", false)]
    [InlineData("172.31.5.9:6379", false)]
    [InlineData("localhost:6379", false)]
    [InlineData("127.0.0.1", false)]
    public void Only_a_loopback_address_with_a_port_is_accepted(string endpoint, bool valid)
    {
        var options = Options("Development", endpoint);

        if (valid)
        {
            Assert.Equal(endpoint.Split(':')[^1], options.Value.LoopbackEndpoint!.Split(':')[^1]);
        }
        else
        {
            Assert.Throws<OptionsValidationException>(() => options.Value);
        }
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void It_is_refused_outside_development(string environment)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options(environment, "127.0.0.1:6379").Value);

        Assert.Contains("Development", error.Message);
    }

    [Fact]
    public void Without_it_any_environment_starts()
    {
        Assert.Null(Options("Production", null).Value.LoopbackEndpoint);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("short", false)]
    [InlineData("has a space in it", false)]
    [InlineData("a-reader-password", true)]
    public void A_local_node_needs_the_gateways_read_only_user(string? readerPassword, bool valid)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CacheNode:Kind"] = "Local",
            ["CacheNode:Password"] = "a-writer-password",
            ["CacheNode:ReaderPassword"] = readerPassword,
        });
        builder.AddCacheNode();
        var options = builder.Build().Services.GetRequiredService<IOptions<CacheNodeOptions>>();

        if (valid)
        {
            Assert.Equal(new CacheNodeCredential("loader", "a-writer-password"), options.Value.Loader);
            Assert.Equal("loader", options.Value.Loader.ToString());
        }
        else
        {
            Assert.Contains("ReaderPassword", Assert.Throws<OptionsValidationException>(() => options.Value).Message);
        }
    }

    private static IOptions<CacheNodeOptions> Options(string environment, string? loopback)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CacheNode:Kind"] = "Ec2",
            ["CacheNode:InstanceId"] = "i-0123456789abcdef0",
            ["CacheNode:Port"] = "6379",
            ["CacheNode:Password"] = "a-password-for-tests",
            ["CacheNode:LoopbackEndpoint"] = loopback,
        });
        builder.AddCacheNode();
        return builder.Build().Services.GetRequiredService<IOptions<CacheNodeOptions>>();
    }
}
