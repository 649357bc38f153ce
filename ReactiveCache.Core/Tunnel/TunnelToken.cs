using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ReactiveCache.Core.Tunnel;

/// <summary>
/// The tokens the orchestrator puts in a function's invocation payload: one per gateway, which that gateway
/// checks before it accepts the function's tunnel, and one for the orchestrator's control stream. HMAC-SHA256
/// over the claims with a secret every side reads from configuration (<c>Tunnel:Secret</c>). The claims bind
/// the token to one invocation (the id the orchestrator gave it), to one audience (the tunnel URL of the gateway
/// it is for, or the orchestrator's URL) and to the keys the function may serve, until an expiry.
/// Form: <c>base64url(claims) "." base64url(hmac)</c>, claims = expiry (unix seconds), invocation id, audience,
/// then one key per line. Written by hand: it is a few lines, and a JWT library would add a dependency and
/// reflection-based JSON to the Native AOT function for no gain.
/// </summary>
public static class TunnelToken
{
    /// <summary>Mints a token that lets invocation <paramref name="invocationId"/> serve <paramref name="keys"/> at <paramref name="audience"/> until <paramref name="expires"/>.</summary>
    public static string Mint(ReadOnlySpan<byte> secret, string invocationId, string audience, IReadOnlyCollection<string> keys, DateTimeOffset expires)
    {
        if (keys.Count == 0)
        {
            throw new ArgumentException("A token names at least one key.", nameof(keys));
        }

        if (keys.Any(k => k.Length == 0 || HasLineBreak(k)))
        {
            throw new ArgumentException("Keys in a token cannot be empty or contain line breaks.", nameof(keys));
        }

        if (string.IsNullOrEmpty(invocationId) || HasLineBreak(invocationId) || string.IsNullOrEmpty(audience) || HasLineBreak(audience))
        {
            throw new ArgumentException("A token names one invocation and one audience, without line breaks.", nameof(invocationId));
        }

        var claims = Encoding.UTF8.GetBytes(string.Join('\n',
            [expires.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), invocationId, Audience(audience), .. keys]));
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
        if (lines.Length < 4 || !long.TryParse(lines[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var unix))
        {
            return TunnelTokenValidation.Fail(TunnelTokenStatus.Malformed);
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(unix);
        var status = now >= expires ? TunnelTokenStatus.Expired : TunnelTokenStatus.Valid;
        return new TunnelTokenValidation(status, lines[3..], expires, lines[1], lines[2]);
    }

    /// <summary>
    /// The form an audience is compared in: an absolute URL with its scheme (<c>ws</c> as <c>http</c>, <c>wss</c> as
    /// <c>https</c>: a WebSocket dial is an HTTP request), host and port lower-cased and explicit, its path, no query;
    /// anything else as it is.
    /// </summary>
    public static string Audience(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "ws" or "wss"))
        {
            return url;
        }

        var scheme = uri.Scheme is "https" or "wss" ? "https" : "http";
        var port = uri.IsDefaultPort ? (scheme == "https" ? 443 : 80) : uri.Port;
        return $"{scheme}://{uri.Host.ToLowerInvariant()}:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}{uri.AbsolutePath.TrimEnd('/')}";
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

    private static bool HasLineBreak(string value) => value.Contains('\n') || value.Contains('\r');
}
