using System.ComponentModel.DataAnnotations;
using ReactiveCache.Orchestrator.Functions;

namespace ReactiveCache.UnitTests.Orchestrator.Functions;

/// <summary>The orchestrator's <c>Function</c> section: gateway tunnel URLs are checked on start, not per invocation.</summary>
public sealed class FunctionOptionsTests
{
    [Fact]
    public void Every_gateway_tunnel_url_must_be_an_absolute_http_or_ws_url()
    {
        var options = new FunctionOptions
        {
            Name = "f",
            GatewayTunnelUrl = "http://gateway:4000/tunnel/connect",
            MoreGatewayTunnelUrls = ["ws://gateway-2:4000/tunnel/connect", "gateway-3/tunnel/connect", "ftp://gateway-4/tunnel"],
        };

        var errors = options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage).ToList();

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e!.Contains("'gateway-3/tunnel/connect'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e!.Contains("'ftp://gateway-4/tunnel'", StringComparison.Ordinal));
    }

    [Fact]
    public void Valid_gateway_tunnel_urls_pass()
    {
        var options = new FunctionOptions
        {
            Name = "f",
            GatewayTunnelUrl = "http://gateway:4000/tunnel/connect",
            MoreGatewayTunnelUrls = ["https://gateway-2/tunnel/connect"],
        };

        Assert.Empty(options.Validate(new ValidationContext(options)));
    }
}
