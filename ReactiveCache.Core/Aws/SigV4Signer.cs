using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ReactiveCache.Core.Aws;

/// <summary>
/// AWS Signature Version 4 for one HTTP request (header form), as AWS documents it: canonical request →
/// string to sign → HMAC chain over date/region/service → <c>Authorization</c>. Written by hand because
/// AWSSDK.Lambda is not available here and AWSSDK.Core's signer sits in an internal namespace; checked
/// against AWS's published SigV4 test-suite vectors in the tests. <see cref="Verify"/> is the receiving side,
/// for the local Lambda emulator, on the same canonical form.
/// </summary>
public static class SigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>
    /// Signs <paramref name="request"/> in place (<c>Host</c>, <c>X-Amz-Date</c>, the session token if any,
    /// <c>Authorization</c>) and returns every intermediate form.
    /// </summary>
    public static SigV4Signature Sign(HttpRequestMessage request, ReadOnlySpan<byte> body, SigV4Credentials credentials,
        string region, string service, DateTimeOffset now)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

        request.Headers.Host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        request.Headers.Remove("X-Amz-Date");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        if (!string.IsNullOrEmpty(credentials.SessionToken))
        {
            request.Headers.Remove("X-Amz-Security-Token");
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", credentials.SessionToken);
        }

        // Sign host, content-type and every x-amz-* header present.
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in request.Headers)
        {
            AddSigned(headers, name, values);
        }

        if (request.Content is not null)
        {
            foreach (var (name, values) in request.Content.Headers)
            {
                AddSigned(headers, name, values);
            }
        }

        var signed = Compute(request.Method.Method, uri.AbsolutePath, uri.Query, headers, PayloadHash(body), amzDate, region, service, credentials);
        request.Headers.TryAddWithoutValidation("Authorization", signed.Authorization);
        return signed;
    }

    /// <summary>
    /// Checks the SigV4 <c>Authorization</c> header of a received request (what AWS does on its side): the key id
    /// is <paramref name="credentials"/>'s, the time within <see cref="MaxClockSkew"/> of <paramref name="now"/>,
    /// and the signature over the headers it names, the path, the query and the body is the one this key makes.
    /// </summary>
    /// <param name="path">The path as sent (still percent-encoded), without the query.</param>
    /// <param name="query">The query as sent, with or without its <c>?</c>.</param>
    /// <param name="header">A received header's value by name, null when absent.</param>
    /// <returns>Null when the signature holds, else why not, with AWS's error type for it.</returns>
    public static SigV4Rejection? Verify(string method, string path, string query, Func<string, string?> header, ReadOnlySpan<byte> body,
        SigV4Credentials credentials, DateTimeOffset now)
    {
        var authorization = header("authorization");
        if (string.IsNullOrEmpty(authorization))
        {
            return new("MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return new("IncompleteSignatureException", $"The Authorization header must use {Algorithm}.");
        }

        var parts = authorization[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var scope = parts.GetValueOrDefault("Credential")?.Split('/');
        var amzDate = header("x-amz-date");
        if (scope is not [var accessKey, var date, var region, var service, "aws4_request"]
            || parts.GetValueOrDefault("SignedHeaders") is not { Length: > 0 } signedHeaders
            || parts.GetValueOrDefault("Signature") is not { Length: > 0 } signature
            || amzDate is null)
        {
            return new("IncompleteSignatureException", "The Authorization header needs Credential, SignedHeaders and Signature, and X-Amz-Date must be sent.");
        }

        if (!string.Equals(accessKey, credentials.AccessKey, StringComparison.Ordinal))
        {
            return new("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var signedAt)
            || !amzDate.StartsWith(date, StringComparison.Ordinal)
            || (now - signedAt).Duration() > MaxClockSkew)
        {
            return new("InvalidSignatureException", $"Signature expired or not yet valid: X-Amz-Date {amzDate}, now {now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.");
        }

        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in signedHeaders.Split(';'))
        {
            if (header(name) is not { } value)
            {
                return new("IncompleteSignatureException", $"Signed header '{name}' was not sent.");
            }

            headers[name] = Canonical([value]);
        }

        var expected = Compute(method, path, query, headers, PayloadHash(body), amzDate, region, service, credentials);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected.Signature), Encoding.ASCII.GetBytes(signature))
            ? null
            : new("InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
    }

    /// <summary>How far a request's X-Amz-Date may be from the receiver's clock (AWS allows 15 minutes).</summary>
    public static TimeSpan MaxClockSkew { get; } = TimeSpan.FromMinutes(15);

    /// <summary>Canonical request → string to sign → HMAC chain over date/region/service → signature (both sides).</summary>
    private static SigV4Signature Compute(string method, string path, string query, SortedDictionary<string, string> headers,
        string payloadHash, string amzDate, string region, string service, SigV4Credentials credentials)
    {
        var date = amzDate[..8];
        var signedHeaders = string.Join(';', headers.Keys);
        var canonicalRequest = string.Join('\n',
            method,
            CanonicalPath(path),
            CanonicalQuery(query),
            string.Concat(headers.Select(h => $"{h.Key}:{h.Value}\n")),
            signedHeaders,
            payloadHash);

        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = string.Join('\n',
            Algorithm,
            amzDate,
            scope,
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + credentials.SecretKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        var signature = Convert.ToHexStringLower(Hmac(key, stringToSign));

        var authorization = $"{Algorithm} Credential={credentials.AccessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        return new SigV4Signature(canonicalRequest, stringToSign, signature, authorization);
    }

    private static void AddSigned(SortedDictionary<string, string> headers, string name, IEnumerable<string> values)
    {
        var lower = name.ToLowerInvariant();
        if (lower is "host" or "content-type" || lower.StartsWith("x-amz-", StringComparison.Ordinal))
        {
            headers[lower] = Canonical(values);
        }
    }

    /// <summary>Values joined by commas, each trimmed with inner runs of spaces collapsed, as the canonical form requires.</summary>
    private static string Canonical(IEnumerable<string> values) =>
        string.Join(',', values.Select(v => string.Join(' ', v.Split(' ', StringSplitOptions.RemoveEmptyEntries))));

    /// <summary>Each segment URI-encoded once more (the path arrives encoded once; non-S3 services expect both).</summary>
    private static string CanonicalPath(string path) =>
        path.Length == 0 ? "/" : string.Join('/', path.Split('/').Select(Encode));

    private static string CanonicalQuery(string query)
    {
        if (query.Length <= 1)
        {
            return "";
        }

        return string.Join('&', query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var eq = pair.IndexOf('=');
                var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
                var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
                return (Name: Encode(name), Value: Encode(value));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));
    }

    /// <summary>RFC 3986 encoding: everything but the unreserved characters, upper-case hex.</summary>
    private static string Encode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string PayloadHash(ReadOnlySpan<byte> body) =>
        body.IsEmpty ? EmptyPayloadHash : Convert.ToHexStringLower(SHA256.HashData(body));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
