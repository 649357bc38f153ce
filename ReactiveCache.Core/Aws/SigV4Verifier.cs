using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ReactiveCache.Core.Aws;

/// <summary>
/// Checks the SigV4 signature of a request that arrived (the local Lambda emulator's Invoke API, as AWS checks
/// it): the <c>Authorization</c> header's access key must be the configured one, its scope this region and
/// service, its date within <see cref="MaxSkew"/> of now, and the signature recomputed over the signed headers
/// (which must include <c>host</c> and <c>x-amz-date</c>) and the body must match (compared in constant time).
/// </summary>
public static class SigV4Verifier
{
    /// <summary>How far a request's <c>X-Amz-Date</c> may be from now (AWS allows 5 minutes).</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);

    /// <summary>Null when the signature is good, else why it is not (never echoing the secret or the expected signature).</summary>
    public static string? Verify(HttpRequest request, ReadOnlySpan<byte> body, SigV4Credentials credentials, string region, string service, DateTimeOffset now)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(SigV4Signer.Algorithm + " ", StringComparison.Ordinal))
        {
            return "The request is not signed (Authorization: AWS4-HMAC-SHA256 …).";
        }

        var fields = authorization[(SigV4Signer.Algorithm.Length + 1)..]
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('=', 2))
            .Where(f => f.Length == 2)
            .GroupBy(f => f[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
        if (!fields.TryGetValue("Credential", out var credential) || !fields.TryGetValue("SignedHeaders", out var signedHeaders)
            || !fields.TryGetValue("Signature", out var signature))
        {
            return "The Authorization header lacks Credential, SignedHeaders or Signature.";
        }

        var credentialParts = credential.Split('/');
        if (credentialParts.Length != 5 || credentialParts[4] != "aws4_request")
        {
            return "The credential scope is malformed.";
        }

        if (!FixedTimeEquals(credentialParts[0], credentials.AccessKey))
        {
            return "The access key is not known.";
        }

        if (credentialParts[2] != region || credentialParts[3] != service)
        {
            return $"The credential scope must name region {region} and service {service}.";
        }

        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, SigV4Signer.DateFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt) || credentialParts[1] != amzDate[..8])
        {
            return "X-Amz-Date is missing, malformed, or not the credential scope's date.";
        }

        if ((now - signedAt).Duration() > MaxSkew)
        {
            return "Signature expired: X-Amz-Date is too far from the current time.";
        }

        var names = signedHeaders.Split(';');
        if (!names.Contains("host") || !names.Contains("x-amz-date") || names.Any(n => n.Length == 0 || n != n.ToLowerInvariant()))
        {
            return "SignedHeaders must be lower-case and include host and x-amz-date.";
        }

        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var values = request.Headers[name];
            if (values.Count == 0)
            {
                return $"The signed header {name} is missing.";
            }

            headers[name] = SigV4Signer.Canonical(values.OfType<string>());
        }

        var expected = SigV4Signer.Compute(request.Method, request.Path.ToUriComponent(), request.QueryString.Value ?? "", headers,
            SigV4Signer.PayloadHash(body), amzDate, credentials.SecretKey, region, service);
        return FixedTimeEquals(signature, expected.Signature) ? null : "The request signature does not match.";
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
