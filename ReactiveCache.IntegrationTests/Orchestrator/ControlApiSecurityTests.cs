using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ReactiveCache.IntegrationTests.Orchestrator;

/// <summary>
/// The orchestrator's control API answers only its operator: every endpoint but the health probes needs the key
/// (401 problem+json without it or with a wrong one; 403 when the key may only read), a page of another site cannot
/// make a browser post to it, and a request naming a host this machine does not answer to is refused.
/// </summary>
public sealed class ControlApiSecurityTests : IClassFixture<ControlApiSecurityTests.Orchestrator>
{
    private readonly Orchestrator _orchestrator;

    public ControlApiSecurityTests(Orchestrator orchestrator) => _orchestrator = orchestrator;

    /// <summary>Every endpoint that changes something.</summary>
    public static TheoryData<string, string> Mutating => new()
    {
        { "POST", "/node/start" },
        { "POST", "/node/stop" },
        { "POST", "/functions/1KB.txt" },
        { "DELETE", "/functions/1KB.txt" },
        { "PUT", "/routes/1KB.txt?layer=s3" },
    };

    public static TheoryData<string> Reading => new() { "/state", "/state/1KB.txt", "/node", "/config", "/costs", "/gateways", "/reconciliation", "/openapi/v1.json" };

    [Theory]
    [MemberData(nameof(Mutating))]
    public async Task A_mutating_endpoint_is_401_without_a_key_401_with_a_wrong_one_403_with_the_read_key_and_2xx_with_the_operators(string method, string path)
    {
        using var none = await SendAsync(method, path, key: null);
        using var wrong = await SendAsync(method, path, key: "not-the-key-but-long-enough-to-look-like-one-000");
        using var reader = await SendAsync(method, path, OrchestratorFactory.ReadKey);
        using var operatorKey = await SendAsync(method, path, OrchestratorFactory.OperatorKey);

        await AssertProblemAsync(none, HttpStatusCode.Unauthorized);
        await AssertProblemAsync(wrong, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        await AssertProblemAsync(reader, HttpStatusCode.Forbidden);
        Assert.True(operatorKey.IsSuccessStatusCode, $"{method} {path} with the operator's key: {(int)operatorKey.StatusCode} {await operatorKey.Content.ReadAsStringAsync()}");
    }

    /// <summary>Ending a pin changes routing as much as setting one: the operator's key only.</summary>
    [Fact]
    public async Task Unpinning_a_route_is_401_without_a_key_403_with_the_read_key_and_2xx_with_the_operators()
    {
        using var pin = await SendAsync("PUT", "/routes/64KB.txt?layer=s3", OrchestratorFactory.OperatorKey);
        Assert.True(pin.IsSuccessStatusCode, $"pin: {(int)pin.StatusCode}");

        using var none = await SendAsync("DELETE", "/routes/64KB.txt", key: null);
        using var reader = await SendAsync("DELETE", "/routes/64KB.txt", OrchestratorFactory.ReadKey);
        using var operatorKey = await SendAsync("DELETE", "/routes/64KB.txt", OrchestratorFactory.OperatorKey);

        await AssertProblemAsync(none, HttpStatusCode.Unauthorized);
        await AssertProblemAsync(reader, HttpStatusCode.Forbidden);
        Assert.True(operatorKey.IsSuccessStatusCode, $"DELETE with the operator's key: {(int)operatorKey.StatusCode} {await operatorKey.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [MemberData(nameof(Reading))]
    public async Task A_reading_endpoint_needs_a_key_too(string path)
    {
        using var none = await SendAsync("GET", path, key: null);
        using var reader = await SendAsync("GET", path, OrchestratorFactory.ReadKey);

        await AssertProblemAsync(none, HttpStatusCode.Unauthorized);
        Assert.NotEqual(HttpStatusCode.Unauthorized, reader.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, reader.StatusCode);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task The_health_probes_need_no_key(string path)
    {
        using var response = await SendAsync("GET", path, key: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>What a page of another site can make a browser send: a simple POST, no credential, that site's Origin.</summary>
    [Fact]
    public async Task A_cross_site_simple_post_is_refused()
    {
        using var client = _orchestrator.Client(key: null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/node/stop") { Content = new StringContent("x") };
        request.Headers.Add("Origin", "http://evil.example");
        using var response = await client.SendAsync(request);

        Assert.False(response.IsSuccessStatusCode);
        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Another_sites_origin_is_refused_even_with_the_key()
    {
        using var client = _orchestrator.Client(OrchestratorFactory.OperatorKey);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/state");
        request.Headers.Add("Origin", "http://evil.example");
        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    /// <summary>A page whose name was rebound to this machine sends its own name as the Host: refused before the key is even looked at.</summary>
    [Fact]
    public async Task A_request_with_a_foreign_host_is_refused()
    {
        using var client = _orchestrator.Client(OrchestratorFactory.OperatorKey);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/state");
        request.Headers.Host = "rebound.evil.example";
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task State_is_paged_and_shows_the_function_cap()
    {
        using var client = _orchestrator.Client(OrchestratorFactory.ReadKey);

        var page = await client.GetFromJsonAsync<JsonElement>("/state?limit=1");
        using var tooLarge = await client.GetAsync("/state?limit=100000");

        Assert.Equal(10, page.GetProperty("functions").GetProperty("maxConcurrent").GetInt32());
        Assert.True(page.GetProperty("objects").GetArrayLength() <= 1);
        await AssertProblemAsync(tooLarge, HttpStatusCode.BadRequest);
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? key)
    {
        using var client = _orchestrator.Client(key);
        return await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
    }

    /// <summary>One orchestrator for the class.</summary>
    public sealed class Orchestrator() : IDisposable
    {
        private readonly OrchestratorFactory _factory = new();

        public HttpClient Client(string? key) => _factory.Client(key);

        public void Dispose() => _factory.Dispose();
    }
}
