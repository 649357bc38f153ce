using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReactiveCache.IntegrationTests.AppHost;

/// <summary>Reads the orchestrator's control API and a gateway's routes as the tests need them.</summary>
public sealed class ControlApiClient(HttpClient orchestrator)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public async Task<string> StateOfAsync(string key)
    {
        using var response = await orchestrator.GetAsync($"/state/{key}");
        return response.IsSuccessStatusCode
            ? (await response.Content.ReadFromJsonAsync<ObjectState>(Json))!.State
            : "S3";
    }

    public async Task<NodeStatus> NodeAsync() => (await orchestrator.GetFromJsonAsync<NodeStatus>("/node", Json))!;

    public async Task<Gateways> GatewaysAsync() => (await orchestrator.GetFromJsonAsync<Gateways>("/gateways", Json))!;

    public async Task<JsonElement> CostsAsync() => await orchestrator.GetFromJsonAsync<JsonElement>("/costs", Json);

    public static async Task<GatewayRoutes> RoutesAsync(HttpClient gateway) => (await gateway.GetFromJsonAsync<GatewayRoutes>("/routes", Json))!;

    public async Task<IReadOnlyList<StateChange>> HistoryOfAsync(string key) =>
        (await orchestrator.GetFromJsonAsync<ObjectState>($"/state/{key}", Json))!.History;

    public sealed record ObjectState(string Key, string State, long Requests, string Route, IReadOnlyList<StateChange> History);

    public sealed record StateChange(string State, DateTimeOffset At);

    public sealed record NodeStatus(string State, string? Endpoint, IReadOnlyList<NodeRun> Runs);

    public sealed record NodeRun(DateTimeOffset Started, DateTimeOffset? Ready, DateTimeOffset? Stopped);

    public sealed record Gateways(IReadOnlyList<string> Connected, ulong RouteVersion, IReadOnlyList<Drain> Drains);

    public sealed record Drain(string DrainId, IReadOnlyList<string> Asked, Dictionary<string, DateTimeOffset> Acks, DateTimeOffset? Ended);

    public sealed record GatewayRoutes(ulong Version, Dictionary<string, string> Routes, JsonElement? CacheNode);
}
