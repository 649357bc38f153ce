using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ReactiveCache.Core.Aws;

/// <summary>
/// AWS Signature Version 4 for one HTTP request (header form), as AWS documents it: canonical request →
/// string to sign → HMAC chain over date/region/service → <c>Authorization</c>. Written by hand because
/// AWSSDK.Lambda is not available here and AWSSDK.Core's signer sits in an internal namespace; checked
/// against AWS's published SigV4 test-suite vectors in the tests. The orchestrator signs its Invoke calls
/// with it; the local Lambda emulator checks them with the same code (<see cref="SigV4Verifier"/>).
/// </summary>
public static class SigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>The <c>X-Amz-Date</c> form.</summary>
    public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>
    /// Signs <paramref name="request"/> in place (<c>Host</c>, <c>X-Amz-Date</c>, the session token if any,
    /// <c>Authorization</c>) and returns every intermediate form.
    /// </summary>
    public static SigV4Signature Sign(HttpRequestMessage request, ReadOnlySpan<byte> body, SigV4Credentials credentials,
        string region, string service, DateTimeOffset now)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        var amzDate = now.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);

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
            if (IsSigned(name))
            {
                headers[name.ToLowerInvariant()] = Canonical(values);
            }
        }

        if (request.Content is not null)
        {
            foreach (var (name, values) in request.Content.Headers)
            {
                if (IsSigned(name))
                {
                    headers[name.ToLowerInvariant()] = Canonical(values);
                }
            }
        }

        var signature = Compute(request.Method.Method, uri.AbsolutePath, uri.Query, headers, PayloadHash(body), amzDate, credentials.SecretKey, region, service);
        var authorization = $"{Algorithm} Credential={credentials.AccessKey}/{signature.Scope}, SignedHeaders={string.Join(';', headers.Keys)}, Signature={signature.Signature}";
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return new SigV4Signature(signature.CanonicalRequest, signature.StringToSign, signature.Signature, authorization);
    }

    /// <summary>The hex SHA-256 of a body, as the canonical request names it.</summary>
    public static string PayloadHash(ReadOnlySpan<byte> body) => body.IsEmpty ? EmptyPayloadHash : Convert.ToHexStringLower(SHA256.HashData(body));

    /// <summary>
    /// The signature of a request given as its parts: <paramref name="path"/> as it arrives (encoded once),
    /// <paramref name="query"/> with or without its <c>?</c>, <paramref name="headers"/> lower-cased names → canonical
    /// values (exactly the signed ones, in any order).
    /// </summary>
    internal static (string CanonicalRequest, string StringToSign, string Signature, string Scope) Compute(
        string method, string path, string query, IReadOnlyDictionary<string, string> headers, string payloadHash,
        string amzDate, string secretKey, string region, string service)
    {
        var date = amzDate[..8];
        var sorted = headers.OrderBy(h => h.Key, StringComparer.Ordinal).ToList();
        var canonicalRequest = string.Join('\n',
            method,
            CanonicalPath(path),
            CanonicalQuery(query),
            string.Concat(sorted.Select(h => $"{h.Key}:{h.Value}\n")),
            string.Join(';', sorted.Select(h => h.Key)),
            payloadHash);

        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = string.Join('\n',
            Algorithm,
            amzDate,
            scope,
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        return (canonicalRequest, stringToSign, Convert.ToHexStringLower(Hmac(key, stringToSign)), scope);
    }

    /// <summary>Whether the signer signs a header of this name: host, content-type and every x-amz-* header.</summary>
    internal static bool IsSigned(string name) =>
        name.Equals("host", StringComparison.OrdinalIgnoreCase) || name.Equals("content-type", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase);

    /// <summary>Trimmed, inner runs of spaces collapsed, several values joined by commas: the canonical form.</summary>
    internal static string Canonical(IEnumerable<string> values) =>
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

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
