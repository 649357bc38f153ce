using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReactiveCache.Core.Objects;

namespace ReactiveCache.IntegrationTests.AppHost;

/// <summary>The local topology as the README's run command starts it.</summary>
[Collection(AppHostCollection.Name)]
public sealed class AppHostTests(AppHostFixture fixture)
{
    [Fact]
    public void Every_resource_is_running_and_healthy()
    {
        foreach (var name in AppHostFixture.ServiceResources)
        {
            Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState(name, out var resource), $"{name} has no state");
            Assert.Equal(KnownResourceStates.Running, resource.Snapshot.State?.Text);
            Assert.Equal(HealthStatus.Healthy, resource.Snapshot.HealthStatus);
        }
    }

    [Fact]
    public async Task The_cache_node_is_on_the_dashboard_and_stopped_without_demand()
    {
        // Stopped at start, and again once the policy tests' demand has faded (they may run first).
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(180));

        var node = await fixture.App.ResourceNotifications.WaitForResourceAsync("cache-node",
            e => e.Snapshot.State?.Text == "Stopped", cts.Token);

        Assert.Equal("CacheNode", node.Snapshot.ResourceType);
    }

    [Fact]
    public async Task Index_html_comes_from_s3_with_its_144_bytes()
    {
        using var client = fixture.CreateGatewayClient();

        using var response = await client.GetAsync("/objects/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("s3", Assert.Single(response.Headers.GetValues("Content-Origin")));
        Assert.Equal(144, response.Content.Headers.ContentLength);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal(SampleObjects.All["index.html"], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task One_megabyte_arrives_byte_exact()
    {
        using var client = fixture.CreateGatewayClient();

        var body = await client.GetByteArrayAsync("/objects/1MB.txt");

        Assert.Equal(SampleObjects.All["1MB.txt"], body);
    }

    [Fact]
    public async Task A_missing_key_is_a_404_problem()
    {
        using var client = fixture.CreateGatewayClient();

        using var response = await client.GetAsync("/objects/no-such-object.txt");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-such-object.txt", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_orchestrator_control_api_answers_with_its_state()
    {
        using var client = fixture.CreateOrchestratorClient();

        using var response = await client.GetAsync("/state");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var state = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(System.Text.Json.JsonValueKind.Array, state.GetProperty("objects").ValueKind);
        Assert.True(state.GetProperty("functions").GetProperty("maxConcurrent").GetInt32() > 0);
    }

    [Fact]
    public async Task The_orchestrator_control_api_refuses_a_request_without_its_key()
    {
        using var client = fixture.App.CreateHttpClient("orchestrator", "http");

        using var state = await client.GetAsync("/state");
        using var stop = await client.PostAsync("/node/stop", content: null);

        Assert.Equal(HttpStatusCode.Unauthorized, state.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stop.StatusCode);
    }

    /// <summary>What functions and gateways reach (the links endpoint) does not serve the operator's API, even with its key.</summary>
    [Fact]
    public async Task The_control_api_is_not_served_on_the_links_endpoint()
    {
        using var client = new HttpClient
        {
            BaseAddress = fixture.App.GetEndpoint("orchestrator", "links"),
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        client.DefaultRequestHeaders.Authorization = new("Bearer", fixture.ControlApiKey);

        using var state = await client.GetAsync("/state");
        using var health = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.NotFound, state.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Theory]
    [InlineData("gateway")]
    [InlineData("orchestrator")]
    public async Task Each_service_publishes_its_openapi_document(string resource)
    {
        using var client = fixture.App.CreateHttpClient(resource, "http");

        using var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"openapi\"", await response.Content.ReadAsStringAsync());
    }
}
