using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.Gateway.Tunnel;

/// <summary>Checks the <c>Authorization: Bearer</c> tunnel token of a function's request.</summary>
internal sealed class TunnelTokenCheck(IOptions<TunnelOptions> options, TimeProvider time)
{
    private readonly byte[]? _secret = options.Value.Secret is { } s ? TunnelToken.SecretBytes(s) : null;
    private readonly HashSet<string> _audiences = [.. options.Value.Urls.Select(TunnelToken.Audience)];

    /// <summary>
    /// The token's claims, or the refusal to send: 401 when missing, malformed or not signed with our
    /// secret (or when no secret is configured); 403 when it expired (unless <paramref name="allowExpired"/>),
    /// names another invocation than <paramref name="invocationId"/>, or is addressed to another gateway.
    /// </summary>
    public (TunnelTokenValidation? Claims, ProblemHttpResult? Refusal) Check(HttpRequest request, string invocationId, bool allowExpired = false)
    {
        if (_secret is null)
        {
            return (null, Refuse(StatusCodes.Status401Unauthorized, "Tunnels are disabled", "This gateway has no Tunnel:Secret configured."));
        }

        var header = request.Headers.Authorization.ToString();
        var prefix = TunnelProtocol.Scheme + " ";
        var token = header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..].Trim() : null;
        var result = TunnelToken.Validate(_secret, token, time.GetUtcNow());
        var refusal = result.Status switch
        {
            TunnelTokenStatus.Valid => null,
            TunnelTokenStatus.Expired when allowExpired => null,
            TunnelTokenStatus.Expired => Refuse(StatusCodes.Status403Forbidden, "Tunnel token expired", $"The token expired at {result.Expires:O}."),
            TunnelTokenStatus.Missing => Refuse(StatusCodes.Status401Unauthorized, "Tunnel token missing", "Send the invocation's token as 'Authorization: Bearer <token>'."),
            _ => Refuse(StatusCodes.Status401Unauthorized, "Tunnel token invalid", "The token is malformed or not signed by this system."),
        };
        if (refusal is not null)
        {
            return (null, refusal);
        }

        if (!string.Equals(result.InvocationId, invocationId, StringComparison.Ordinal))
        {
            return (null, Refuse(StatusCodes.Status403Forbidden, "Not your invocation", "The token was minted for another invocation."));
        }

        if (!IsForThisGateway(result, request))
        {
            return (null, Refuse(StatusCodes.Status403Forbidden, "Not for this gateway", "The token is addressed to another gateway."));
        }

        return (result, null);
    }

    private bool IsForThisGateway(TunnelTokenValidation claims, HttpRequest request)
    {
        if (_audiences.Count > 0)
        {
            return _audiences.Contains(claims.Audience);
        }

        // No configured URL: the one the function dialled, which is the connect path on this host (the goodbye
        // is addressed to the same gateway, at another path).
        return claims.IsFor(UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, TunnelProtocol.ConnectPath));
    }

    private static ProblemHttpResult Refuse(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
