using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ReactiveCache.Core.Tunnel;

/// <summary>
/// The token the orchestrator puts in a function's invocation payload and the gateway checks
/// before it accepts the function's tunnel (and the orchestrator before it accepts its control
/// stream): HMAC-SHA256 over the keys the function may serve and an expiry, with a secret both
/// sides read from configuration (<c>Tunnel:Secret</c>).
/// Form: <c>base64url(claims) "." base64url(hmac)</c>, claims = expiry (unix seconds) then one key
/// per line. Written by hand: it is twenty lines, and a JWT library would add a dependency and
/// reflection-based JSON to the Native AOT function for no gain.
/// </summary>
public static class TunnelToken
{
    /// <summary>Mints a token that lets a function serve <paramref name="keys"/> until <paramref name="expires"/>.</summary>
    public static string Mint(ReadOnlySpan<byte> secret, IReadOnlyCollection<string> keys, DateTimeOffset expires)
    {
        if (keys.Count == 0)
        {
            throw new ArgumentException("A token names at least one key.", nameof(keys));
        }

        if (keys.Any(k => k.Length == 0 || k.Contains('\n') || k.Contains('\r')))
        {
            throw new ArgumentException("Keys in a token cannot be empty or contain line breaks.", nameof(keys));
        }

        var claims = Encoding.UTF8.GetBytes(string.Join('\n', [expires.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), .. keys]));
        var mac = HMACSHA256.HashData(secret, claims);
        return $"{Base64Url.EncodeToString(claims)}.{Base64Url.EncodeToString(mac)}";
    }

    /// <summary>Checks the signature, then the expiry. Constant-time comparison of the MAC.</summary>
    public static TunnelTokenValidation Validate(ReadOnlySpan<byte> secret, string? token, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(token))
        {
            return TunnelTokenValidation.Fail(TunnelTokenStatus.Missing);
        }

        var dot = token.IndexOf('.');
        if (dot <= 0 || dot == token.Length - 1 || !Base64Url.IsValid(token.AsSpan(0, dot)) || !Base64Url.IsValid(token.AsSpan(dot + 1)))
        {
            return TunnelTokenValidation.Fail(TunnelTokenStatus.Malformed);
        }

        var claims = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
        var mac = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(secret, claims)))
        {
            return TunnelTokenValidation.Fail(TunnelTokenStatus.BadSignature);
        }

        var lines = Encoding.UTF8.GetString(claims).Split('\n');
        if (lines.Length < 2 || !long.TryParse(lines[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var unix))
        {
            return TunnelTokenValidation.Fail(TunnelTokenStatus.Malformed);
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(unix);
        var keys = lines[1..];
        return now >= expires
            ? new TunnelTokenValidation(TunnelTokenStatus.Expired, keys, expires)
            : new TunnelTokenValidation(TunnelTokenStatus.Valid, keys, expires);
    }

    /// <summary>The secret as configured: UTF-8 bytes of the configuration value (at least 32 characters).</summary>
    public static byte[] SecretBytes(string? configured)
    {
        if (string.IsNullOrEmpty(configured) || configured.Length < MinimumSecretLength)
        {
            throw new InvalidOperationException($"Tunnel:Secret must be set to at least {MinimumSecretLength} characters.");
        }

        return Encoding.UTF8.GetBytes(configured);
    }

    public const int MinimumSecretLength = 32;
}
