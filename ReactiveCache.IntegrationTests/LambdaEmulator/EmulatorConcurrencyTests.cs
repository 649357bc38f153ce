using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReactiveCache.Core.Aws;
using ReactiveCache.Core.Functions;
using ReactiveCache.IntegrationTests.Infrastructure;
using ReactiveCache.IntegrationTests.Lambda;

namespace ReactiveCache.IntegrationTests.LambdaEmulator;

/// <summary>
/// The emulator's concurrency limit counts environments running an invocation, as Lambda's does: at the
/// limit a cold start reclaims an idle environment (of any function); only with every one busy is an invoke
/// refused with 429. Its own emulator, with a limit of one.
/// </summary>
public sealed class EmulatorConcurrencyTests : IAsyncLifetime
{
    private readonly DirectoryInfo _objects = Directory.CreateTempSubdirectory("emulator-concurrency-");
    private ServerProcess? _emulator;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        var environment = BuiltApps.EmulatorEnvironment(_objects.FullName, _credentials);
        environment["Emulator__MaxConcurrency"] = "1";
        environment["Function__AllowedGatewayUrls__0"] = Gateway;
        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        BuiltApps.AddJitFunction(environment, "a", TimeSpan.FromSeconds(30));
        BuiltApps.AddJitFunction(environment, "b", TimeSpan.FromSeconds(30));
        // A "runtime" that never polls: busy until the emulator kills it at its timeout.
        BuiltApps.AddEmulatorFunction(environment, "sleeper", "sleep", TimeSpan.FromSeconds(30), "60");
        _emulator = await BuiltApps.StartAsync(BuiltApps.Emulator, port, environment);
        _client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(90) };
    }

    [Fact]
    public async Task At_the_limit_an_idle_environment_is_reclaimed_and_only_all_busy_is_429()
    {
        // "a" runs once and fails fast (the object is not in the store): its environment is idle, the only slot taken.
        using var first = await InvokeAsync("a", "RequestResponse");
        Assert.Equal("Unhandled", FunctionFixture.Header(first, "X-Amz-Function-Error"));
        var a = int.Parse(FunctionFixture.Header(first, "X-Emulator-Process-Id"));

        // "b" needs a cold start: the idle "a" gives up its slot.
        using var second = await InvokeAsync("b", "RequestResponse");
        Assert.Equal("true", FunctionFixture.Header(second, "X-Emulator-Cold-Start"));
        Assert.Equal("Unhandled", FunctionFixture.Header(second, "X-Amz-Function-Error"));
        var environments = await EnvironmentsAsync();
        Assert.DoesNotContain(environments, e => e.ProcessId == a && e.State != "Dead");
        Assert.True(await FunctionFixture.ExitsWithinAsync(a, TimeSpan.FromSeconds(15)),
            $"process {a} still runs after its environment was reclaimed ({FunctionFixture.Describe(a)})\n{_emulator!.Output}");

        // The sleeper takes the slot and holds it: with every environment busy, the next invoke is refused.
        using var sleeping = await InvokeAsync("sleeper", "Event");
        Assert.Equal(HttpStatusCode.Accepted, sleeping.StatusCode);
        using var refused = await InvokeAsync("a", "Event");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("TooManyRequestsException", FunctionFixture.Header(refused, "X-Amzn-ErrorType"));
    }

    private Task<HttpResponseMessage> InvokeAsync(string function, string type)
    {
        var payload = FunctionPayload.Create("a-secret-no-gateway-checks-here-000"u8, ["no-such-object.txt"], TimeSpan.FromSeconds(1),
            [Gateway], null, DateTimeOffset.UtcNow.AddMinutes(5));
        return _client.SendAsync(FunctionFixture.SignedInvoke(_client.BaseAddress!, function,
            JsonSerializer.SerializeToUtf8Bytes(payload, FunctionJsonContext.Default.FunctionPayload), type, _credentials));
    }

    /// <summary>A gateway nobody listens at: the functions here fail on the missing object before they dial.</summary>
    private const string Gateway = "http://127.0.0.1:9/tunnel/connect";

    private readonly SigV4Credentials _credentials = BuiltApps.NewEmulatorCredentials();

    private async Task<List<FunctionFixture.EnvironmentView>> EnvironmentsAsync() =>
        await _client.GetFromJsonAsync<List<FunctionFixture.EnvironmentView>>("/emulator/environments", FunctionFixture.JsonOptions) ?? [];

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
