using Microsoft.Extensions.Options;
using ReactiveCache.Core.Functions;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.Orchestrator.Functions;

/// <summary>Mints the invocation payloads' tokens (checked by the gateways' tunnel endpoint and by the control stream).</summary>
public sealed class FunctionTokens(IOptions<TunnelSecretOptions> secret, IOptions<FunctionOptions> function, TimeProvider time,
    IOptions<Invalidation.InvalidationOptions>? invalidation = null)
{
    /// <summary>
    /// A payload for <paramref name="keys"/>: a fresh invocation id and a token for each gateway and for this
    /// orchestrator's control stream, valid for the function timeout plus a minute; with the copies' max-age.
    /// </summary>
    public FunctionPayload Payload(IReadOnlyList<string> keys, TimeSpan tick, IReadOnlyList<string> gatewayTunnelUrls, string? orchestratorUrl) =>
        FunctionPayload.Create(Secret(), keys, tick, gatewayTunnelUrls, orchestratorUrl, time.GetUtcNow() + function.Value.Timeout + TimeSpan.FromMinutes(1))
            with { MaxAgeSeconds = invalidation?.Value.MaxAge.TotalSeconds };

    /// <summary>
    /// The claims of a valid, unexpired token addressed to this orchestrator (<c>Function:OrchestratorUrl</c>, when
    /// set); null otherwise.
    /// </summary>
    public TunnelTokenValidation? Validate(string token)
    {
        if (secret.Value.Secret is null)
        {
            return null;
        }

        var result = TunnelToken.Validate(Secret(), token, time.GetUtcNow());
        if (!result.IsValid)
        {
            return null;
        }

        return function.Value.OrchestratorUrl is { Length: > 0 } self && !result.IsFor(self) ? null : result;
    }

    private byte[] Secret() => TunnelToken.SecretBytes(secret.Value.Secret);
}
