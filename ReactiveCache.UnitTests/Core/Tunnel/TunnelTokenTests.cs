using System.Text;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.UnitTests.Core.Tunnel;

public sealed class TunnelTokenTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("a-test-secret-of-at-least-32-characters");
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private const string Gateway = "http://gateway:4001/tunnel/connect";

    [Fact]
    public void A_minted_token_validates_with_its_keys_invocation_audience_and_expiry()
    {
        var token = TunnelToken.Mint(Secret, "inv-1", Gateway, ["1KB.txt", "a/b.bin"], Now.AddMinutes(5));

        var result = TunnelToken.Validate(Secret, token, Now);

        Assert.Equal(TunnelTokenStatus.Valid, result.Status);
        Assert.Equal(["1KB.txt", "a/b.bin"], result.Keys);
        Assert.Equal(Now.AddMinutes(5), result.Expires);
        Assert.Equal("inv-1", result.InvocationId);
        Assert.True(result.IsFor(Gateway));
        // The same endpoint however it is written: a WebSocket dial, the host's case, a trailing slash.
        Assert.True(result.IsFor("ws://GATEWAY:4001/tunnel/connect/"));
        Assert.False(result.IsFor("http://gateway-2:4001/tunnel/connect"));
        Assert.False(result.IsFor("https://gateway:4001/tunnel/connect"));
    }

    [Fact]
    public void Invocation_audience_and_keys_are_signed()
    {
        var token = TunnelToken.Mint(Secret, "inv-1", Gateway, ["1KB.txt"], Now.AddMinutes(5));
        var other = TunnelToken.Mint(Secret, "inv-2", "http://gateway-2:4001/tunnel/connect", ["1MB.txt"], Now.AddMinutes(5));
        var swapped = other[..other.IndexOf('.')] + token[token.IndexOf('.')..];

        Assert.Equal(TunnelTokenStatus.BadSignature, TunnelToken.Validate(Secret, swapped, Now).Status);
    }

    [Fact]
    public void Past_its_expiry_it_is_expired()
    {
        var token = TunnelToken.Mint(Secret, "inv-1", Gateway, ["1KB.txt"], Now.AddMinutes(5));

        Assert.Equal(TunnelTokenStatus.Expired, TunnelToken.Validate(Secret, token, Now.AddMinutes(5)).Status);
    }

    [Fact]
    public void Another_secret_or_a_changed_claim_breaks_the_signature()
    {
        var token = TunnelToken.Mint(Secret, "inv-1", Gateway, ["1KB.txt"], Now.AddMinutes(5));
        var other = TunnelToken.Mint(Encoding.UTF8.GetBytes("another-secret-of-at-least-32-characters"), "inv-1", Gateway, ["1KB.txt"], Now.AddMinutes(5));
        var widened = TunnelToken.Mint(Secret, "inv-1", Gateway, ["1KB.txt", "1MB.txt"], Now.AddMinutes(5));
        var tampered = widened[..widened.IndexOf('.')] + token[token.IndexOf('.')..];

        Assert.Equal(TunnelTokenStatus.BadSignature, TunnelToken.Validate(Secret, other, Now).Status);
        Assert.Equal(TunnelTokenStatus.BadSignature, TunnelToken.Validate(Secret, tampered, Now).Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-dot")]
    [InlineData(".")]
    [InlineData("a.")]
    [InlineData("!!.??")]
    public void Garbage_is_missing_or_malformed(string token)
    {
        var status = TunnelToken.Validate(Secret, token, Now).Status;

        Assert.Contains(status, new[] { TunnelTokenStatus.Missing, TunnelTokenStatus.Malformed });
    }

    [Fact]
    public void A_short_secret_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => TunnelToken.SecretBytes("short"));
    }
}
