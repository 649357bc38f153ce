using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.Gateway.Tunnel;

/// <summary>Checks the <c>Authorization: Bearer</c> tunnel token of a function's request.</summary>
internal sealed class TunnelTokenCheck(IOptions<TunnelOptions> options, TimeProvider time)
{
    private readonly byte[]? _secret = options.Value.Secret is { } s ? TunnelToken.SecretBytes(s) : null;

    /// <summary>
    /// The token's claims, or the refusal to send: 401 when missing, malformed or not signed with our
    /// secret (or when no secret is configured); 403 when it expired (unless <paramref name="allowExpired"/>).
    /// </summary>
    public (TunnelTokenValidation? Claims, ProblemHttpResult? Refusal) Check(HttpRequest request, bool allowExpired = false)
    {
        if (_secret is null)
        {
            return (null, Refuse(StatusCodes.Status401Unauthorized, "Tunnels are disabled", "This gateway has no Tunnel:Secret configured."));
        }

        var header = request.Headers.Authorization.ToString();
        var prefix = TunnelProtocol.Scheme + " ";
        var token = header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..].Trim() : null;
        var result = TunnelToken.Validate(_secret, token, time.GetUtcNow());
        return result.Status switch
        {
            TunnelTokenStatus.Valid => (result, null),
            TunnelTokenStatus.Expired when allowExpired => (result, null),
            TunnelTokenStatus.Expired => (null, Refuse(StatusCodes.Status403Forbidden, "Tunnel token expired", $"The token expired at {result.Expires:O}.")),
            TunnelTokenStatus.Missing => (null, Refuse(StatusCodes.Status401Unauthorized, "Tunnel token missing", "Send the invocation's token as 'Authorization: Bearer <token>'.")),
            _ => (null, Refuse(StatusCodes.Status401Unauthorized, "Tunnel token invalid", "The token is malformed or not signed by this system.")),
        };
    }

    private static ProblemHttpResult Refuse(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
