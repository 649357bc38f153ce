using System.Text.Json.Serialization;

namespace ReactiveCache.Core.Functions;

/// <summary>
/// The invocation payload the orchestrator sends the function (thesis: <c>{key, tick, orchEndpoint,
/// gatewayEndpoint}</c>; here several keys and a token).
/// </summary>
/// <param name="Keys">The objects to hold in memory and serve.</param>
/// <param name="Tick">The TICK in seconds (fractions allowed, for tests).</param>
/// <param name="GatewayTunnelUrl">The gateway's tunnel endpoint, e.g. <c>http://gateway:4000/tunnel/connect</c>.</param>
/// <param name="OrchestratorUrl">The orchestrator's gRPC address for the control stream; none → no control stream.</param>
/// <param name="Token">The tunnel token minted by the orchestrator (<see cref="Tunnel.TunnelToken"/>).</param>
/// <param name="MoreGatewayTunnelUrls">Further gateways' tunnel endpoints: the function tunnels into every one.</param>
public sealed record FunctionPayload(
    [property: JsonPropertyName("keys")] IReadOnlyList<string> Keys,
    [property: JsonPropertyName("tick")] double Tick,
    [property: JsonPropertyName("gatewayTunnelUrl")] string GatewayTunnelUrl,
    [property: JsonPropertyName("orchestratorUrl")] string? OrchestratorUrl,
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("moreGatewayTunnelUrls")] IReadOnlyList<string>? MoreGatewayTunnelUrls = null)
{
    /// <summary>Every gateway the function tunnels into: <see cref="GatewayTunnelUrl"/> first, each once.</summary>
    public IReadOnlyList<string> AllGatewayTunnelUrls() =>
        [.. new[] { GatewayTunnelUrl }.Concat(MoreGatewayTunnelUrls ?? []).Distinct(StringComparer.Ordinal)];
}
