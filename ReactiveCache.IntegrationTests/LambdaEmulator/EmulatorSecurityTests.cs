using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ReactiveCache.Core.Aws;
using ReactiveCache.IntegrationTests.Infrastructure;
using ReactiveCache.IntegrationTests.Lambda;

namespace ReactiveCache.IntegrationTests.LambdaEmulator;

/// <summary>
/// The emulator as AWS would have it: an Invoke without a valid SigV4 signature (the key pair it is configured with)
/// is refused, each environment's Runtime API answers only at its own secret path, and the environments listing is
/// not there outside Development. Its own emulator (Production), with a "function" that prints the Runtime API
/// address it was given and never polls.
/// </summary>
public sealed partial class EmulatorSecurityTests : IAsyncLifetime
{
    private readonly DirectoryInfo _objects = Directory.CreateTempSubdirectory("emulator-security-");
    private readonly SigV4Credentials _credentials = BuiltApps.NewEmulatorCredentials();
    private ServerProcess? _emulator;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        var environment = BuiltApps.EmulatorEnvironment(_objects.FullName, _credentials);
        BuiltApps.AddEmulatorFunction(environment, "printer", "sh", TimeSpan.FromSeconds(30), "-c", "echo \"runtime-api=$AWS_LAMBDA_RUNTIME_API\"; sleep 60");
        _emulator = await BuiltApps.StartAsync(BuiltApps.Emulator, port, environment);
        _client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    [Fact]
    public async Task An_invoke_without_a_signature_is_refused_with_403()
    {
        using var response = await _client.SendAsync(Invoke("{}", credentials: null));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("InvalidSignatureException", FunctionFixture.Header(response, "X-Amzn-ErrorType"));
    }

    [Fact]
    public async Task An_invoke_signed_with_another_secret_or_for_another_body_is_refused()
    {
        using var wrongSecret = await _client.SendAsync(Invoke("{}", _credentials with { SecretKey = "not-the-secret" }));
        var tampered = Invoke("{}", _credentials);
        tampered.Content = new ByteArrayContent("{\"keys\":[\"other\"]}"u8.ToArray());
        tampered.Content.Headers.ContentType = new("application/json");
        using var tamperedResponse = await _client.SendAsync(tampered);
        using var otherKey = await _client.SendAsync(Invoke("{}", _credentials with { AccessKey = "SOMEONEELSE" }));

        Assert.Equal(HttpStatusCode.Forbidden, wrongSecret.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, tamperedResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherKey.StatusCode);
    }

    [Fact]
    public async Task A_signed_invoke_is_accepted()
    {
        using var response = await _client.SendAsync(Invoke("{}", _credentials, "DryRun"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    /// <summary>
    /// Two environments; the test plays the first one's process, which knows its own Runtime API address (with its
    /// secret) and the other's id (ids are no secret): it can take its own invocation, but not the other's.
    /// </summary>
    [Fact]
    public async Task An_environment_cannot_reach_another_environments_runtime_api()
    {
        using (var first = await _client.SendAsync(Invoke("{\"n\":1}", _credentials, "Event")))
        using (var second = await _client.SendAsync(Invoke("{\"n\":2}", _credentials, "Event")))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        }

        var paths = await Eventually.ReturnsAsync(() =>
        {
            var found = RuntimeApiLine().Matches(_emulator!.Output).Select(m => (Id: m.Groups["id"].Value, Secret: m.Groups["secret"].Value)).Distinct().ToList();
            return Task.FromResult(found.Count >= 2 ? found : null);
        }, TimeSpan.FromSeconds(30), "both environments printing their Runtime API address", () => _emulator!.Output);
        var (mine, other) = (paths[0], paths[1]);

        using var own = await _client.GetAsync($"/runtime-api/{mine.Id}/{mine.Secret}/2018-06-01/runtime/invocation/next");
        using var withMySecret = await _client.GetAsync($"/runtime-api/{other.Id}/{mine.Secret}/2018-06-01/runtime/invocation/next");
        using var withoutSecret = await _client.GetAsync($"/runtime-api/{other.Id}/2018-06-01/runtime/invocation/next");
        using var answer = await _client.PostAsync($"/runtime-api/{other.Id}/{mine.Secret}/2018-06-01/runtime/invocation/any/response", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, withMySecret.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, withoutSecret.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
    }

    [Fact]
    public async Task The_environments_listing_exists_only_in_development()
    {
        using var response = await _client.GetAsync("/emulator/environments");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private HttpRequestMessage Invoke(string body, SigV4Credentials? credentials, string type = "RequestResponse") =>
        FunctionFixture.SignedInvoke(_client.BaseAddress!, "printer", Encoding.UTF8.GetBytes(body), type, credentials);

    [GeneratedRegex(@"runtime-api=[^/\s]+/runtime-api/(?<id>env-[0-9a-f]+)/(?<secret>[A-Za-z0-9_-]+)")]
    private static partial Regex RuntimeApiLine();

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        _objects.Delete(recursive: true);
    }
}
