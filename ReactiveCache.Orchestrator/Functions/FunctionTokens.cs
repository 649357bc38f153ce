using Microsoft.Extensions.Options;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.Orchestrator.Functions;

/// <summary>Mints the invocation tokens (checked by the gateways' tunnel endpoint and by the control stream).</summary>
public sealed class FunctionTokens(IOptions<TunnelSecretOptions> secret, IOptions<FunctionOptions> function, TimeProvider time)
{
    /// <summary>A token for <paramref name="keys"/>, valid for the function timeout plus a minute.</summary>
    public string Mint(IReadOnlyCollection<string> keys) =>
        TunnelToken.Mint(Secret(), keys, time.GetUtcNow() + function.Value.Timeout + TimeSpan.FromMinutes(1));

    /// <summary>The keys a valid, unexpired token covers; null otherwise.</summary>
    public IReadOnlySet<string>? Validate(string token)
    {
        if (secret.Value.Secret is null)
        {
            return null;
        }

        var result = TunnelToken.Validate(Secret(), token, time.GetUtcNow());
        return result.IsValid ? result.Keys.ToHashSet(StringComparer.Ordinal) : null;
    }

    private byte[] Secret() => TunnelToken.SecretBytes(secret.Value.Secret);
}
