using System.ComponentModel.DataAnnotations;
using ReactiveCache.Gateway.Tunnel;

namespace ReactiveCache.UnitTests.Gateway.Tunnel;

/// <summary>
/// <c>Tunnel:FirstByteTimeout</c> is counted from a forwarded request's start, so it includes the wait for a tunnel
/// connection (<c>Tunnel:ConnectTimeout</c>): a setting that leaves no time after that wait is refused at start.
/// </summary>
public sealed class TunnelOptionsTests
{
    [Theory]
    [InlineData(2, 3, true)]
    [InlineData(2, 2, false)]
    [InlineData(5, 3, false)]
    public void The_first_byte_timeout_must_outlast_the_connect_timeout(int connectSeconds, int firstByteSeconds, bool valid)
    {
        var options = new TunnelOptions { ConnectTimeout = TimeSpan.FromSeconds(connectSeconds), FirstByteTimeout = TimeSpan.FromSeconds(firstByteSeconds) };

        var errors = options.Validate(new ValidationContext(options)).ToList();

        if (valid)
        {
            Assert.Empty(errors);
        }
        else
        {
            var error = Assert.Single(errors);
            Assert.Contains(nameof(TunnelOptions.FirstByteTimeout), error.MemberNames);
            Assert.Contains("Tunnel:ConnectTimeout", error.ErrorMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_defaults_are_valid() =>
        Assert.Empty(new TunnelOptions().Validate(new ValidationContext(new TunnelOptions())));
}
