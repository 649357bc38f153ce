using System.Text.Json.Serialization;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.Core.Functions;

/// <summary>
/// The invocation payload the orchestrator sends the function (thesis: <c>{key, tick, orchEndpoint,
/// gatewayEndpoint}</c>; here several keys, an invocation id and a token per audience).
/// </summary>
/// <param name="InvocationId">The orchestrator's id of this invocation: the function tunnels and opens its control stream under it, and every token names it.</param>
/// <param name="Keys">The objects to hold in memory and serve.</param>
/// <param name="Tick">The TICK in seconds (fractions allowed, for tests).</param>
/// <param name="GatewayTunnelUrl">The gateway's tunnel endpoint, e.g. <c>http://gateway:4000/tunnel/connect</c>.</param>
/// <param name="OrchestratorUrl">The orchestrator's gRPC address for the control stream; none → no control stream.</param>
/// <param name="Tokens">
/// One <see cref="TunnelToken"/> per URL above (each gateway's tunnel URL, and the orchestrator's): a token is good
/// only where it is addressed, so a gateway cannot replay a function's token at another gateway.
/// </param>
/// <param name="MoreGatewayTunnelUrls">Further gateways' tunnel endpoints: the function tunnels into every one.</param>
/// <param name="MaxAgeSeconds">
/// How old a held copy may get before the function revalidates it against the store (a conditional GET); none or 0: only
/// when an invocation starts.
/// </param>
public sealed record FunctionPayload(
    [property: JsonPropertyName("invocationId")] string InvocationId,
    [property: JsonPropertyName("keys")] IReadOnlyList<string> Keys,
    [property: JsonPropertyName("tick")] double Tick,
    [property: JsonPropertyName("gatewayTunnelUrl")] string GatewayTunnelUrl,
    [property: JsonPropertyName("orchestratorUrl")] string? OrchestratorUrl,
    [property: JsonPropertyName("tokens")] IReadOnlyDictionary<string, string> Tokens,
    [property: JsonPropertyName("moreGatewayTunnelUrls")] IReadOnlyList<string>? MoreGatewayTunnelUrls = null,
    [property: JsonPropertyName("maxAgeSeconds")] double? MaxAgeSeconds = null)
{
    /// <summary>Every gateway the function tunnels into: <see cref="GatewayTunnelUrl"/> first, each once.</summary>
    public IReadOnlyList<string> AllGatewayTunnelUrls() =>
        [.. new[] { GatewayTunnelUrl }.Concat(MoreGatewayTunnelUrls ?? []).Distinct(StringComparer.Ordinal)];

    /// <summary>The token addressed to <paramref name="url"/> (a gateway's tunnel URL or the orchestrator's), or null.</summary>
    public string? TokenFor(string url) => Tokens?.GetValueOrDefault(url);

    /// <summary>
    /// A payload with a fresh invocation id and one token per gateway and for the orchestrator, each valid until
    /// <paramref name="expires"/> (what the orchestrator sends; benches and tests that play the orchestrator use it too).
    /// </summary>
    public static FunctionPayload Create(ReadOnlySpan<byte> secret, IReadOnlyList<string> keys, TimeSpan tick, IReadOnlyList<string> gatewayTunnelUrls,
        string? orchestratorUrl, DateTimeOffset expires)
    {
        if (gatewayTunnelUrls.Count == 0)
        {
            throw new ArgumentException("A function tunnels into at least one gateway.", nameof(gatewayTunnelUrls));
        }

        var invocationId = Guid.NewGuid().ToString("N");
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var url in gatewayTunnelUrls.Append(orchestratorUrl).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            tokens[url] = TunnelToken.Mint(secret, invocationId, url, keys, expires);
        }

        return new FunctionPayload(invocationId, keys, tick.TotalSeconds, gatewayTunnelUrls[0], orchestratorUrl, tokens,
            gatewayTunnelUrls.Count > 1 ? [.. gatewayTunnelUrls.Skip(1)] : null);
    }
}
