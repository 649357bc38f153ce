using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using ReactiveCache.Core.Aws;
using ReactiveCache.Core.Functions;
using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Routing;
using ReactiveCache.Core.Tunnel;
using ReactiveCache.IntegrationTests.Gateway;
using ReactiveCache.IntegrationTests.Infrastructure;
using ReactiveCache.Domain;

namespace ReactiveCache.IntegrationTests.Lambda;

/// <summary>
/// The real programs, wired as in a local run: the Lambda emulator (which starts the function, JIT
/// build, as real processes) and the gateway, whose route table (fed by the gateway tests' test
/// orchestrator over the real link contract) names the Lambda layer for every sample object, so its
/// fallback chain goes lambda → s3; and the orchestrator's function side (tokens, control streams)
/// hosted in the test. One store folder seeded with the sample objects.
/// </summary>
public sealed class FunctionFixture : IAsyncLifetime
{
    public const string ContentOrigin = "Content-Origin";

    /// <summary>The gateway's <c>Tunnel:MaxConnectionsPerInvocation</c> (its functions keep 32).</summary>
    public const int MaxConnectionsPerInvocation = 40;
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>The "short" function's timeout: its life must end by itself before it.</summary>
    public static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Functions the emulator knows; each test uses its own so that cold/warm is its own.</summary>
    public static readonly string[] Functions = ["cold", "life", "control", "load", "refused", "events", "miss", "websocket", "ordinary", "dying"];

    private readonly DirectoryInfo _objects = Directory.CreateTempSubdirectory("function-objects-");
    private ServerProcess? _gateway;
    private ServerProcess? _emulator;

    public string Secret { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    /// <summary>A token as the orchestrator mints it (with <see cref="Secret"/>), for the gateway's tunnel port unless <paramref name="audience"/> says otherwise.</summary>
    public string Mint(string invocationId, IReadOnlyCollection<string> keys, string? audience = null, DateTimeOffset? expires = null) =>
        TunnelToken.Mint(System.Text.Encoding.UTF8.GetBytes(Secret), invocationId, audience ?? GatewayTunnelUrl, keys, expires ?? DateTimeOffset.UtcNow.AddMinutes(5));

    /// <summary>The key pair the emulator checks Invoke signatures with (as the AppHost generates one).</summary>
    public SigV4Credentials EmulatorCredentials { get; } = BuiltApps.NewEmulatorCredentials();

    public ControlHost Control { get; private set; } = null!;

    /// <summary>The gateway's orchestrator link (routes).</summary>
    public TestOrchestratorHost Routes { get; private set; } = null!;

    public HttpClient Gateway { get; private set; } = null!;

    public HttpClient Emulator { get; private set; } = null!;

    /// <summary>The gateway's tunnel port (<c>Tunnel:ListenPort</c>), where functions dial by default.</summary>
    public string GatewayTunnelUrl { get; private set; } = "";

    /// <summary>The tunnel endpoint on the gateway's ordinary port (the tunnel over Kestrel's upgraded stream).</summary>
    public string OrdinaryPortTunnelUrl { get; private set; } = "";

    public string Logs => $"--- emulator ---\n{_emulator?.Output}\n--- gateway ---\n{_gateway?.Output}";

    public async Task InitializeAsync()
    {
        SampleObjects.SeedFolder(_objects.FullName);
        Control = await ControlHost.StartAsync(Secret);
        Routes = await TestOrchestratorHost.StartAsync();
        Routes.Orchestrator.SetRoutes([.. SampleObjects.All.Keys.Select(k => (k, CacheLayer.Lambda))]);

        var gatewayPort = FreePort.Next();
        var tunnelPort = FreePort.Next(except: gatewayPort);

        _gateway = await BuiltApps.StartAsync(BuiltApps.Gateway, gatewayPort, new Dictionary<string, string>
        {
            ["ObjectStore__Kind"] = "Folder",
            ["ObjectStore__Root"] = _objects.FullName,
            ["Tunnel__Secret"] = Secret,
            ["Tunnel__ListenPort"] = tunnelPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The URLs its functions' tokens must be addressed to (as the AppHost sets them), and the dial cap the tests probe.
            ["Tunnel__Urls__0"] = $"http://127.0.0.1:{tunnelPort}{TunnelProtocol.ConnectPath}",
            ["Tunnel__Urls__1"] = $"http://127.0.0.1:{gatewayPort}{TunnelProtocol.ConnectPath}",
            ["Tunnel__MaxConnectionsPerInvocation"] = MaxConnectionsPerInvocation.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OrchestratorLink__Secret"] = TestOrchestrator.TestSecret,
            ["CacheNode__Password"] = "a-node-password-the-test-orchestrator-never-uses",
            ["OrchestratorLink__Address"] = Routes.Address,
            // The kill tests open the Lambda layer's circuit (their dead function fails requests, as it should);
            // the next test's function, whose TICK may be 1 s, must not sit out the default 5 s break unasked.
            ["Layers__CircuitBreaker__BreakDurationMs"] = "500",
            ["OTEL_SDK_DISABLED"] = "true",
        }, tunnelPort);
        Gateway = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gatewayPort}"), Timeout = Wait };
        GatewayTunnelUrl = $"http://127.0.0.1:{tunnelPort}{TunnelProtocol.ConnectPath}";
        OrdinaryPortTunnelUrl = $"http://127.0.0.1:{gatewayPort}{TunnelProtocol.ConnectPath}";
        await Routes.WaitForGatewayAsync(Wait, () => _gateway.Output);

        var emulatorPort = FreePort.Next();
        // Inherited by the function processes (their configuration, as Lambda environment variables).
        var environment = BuiltApps.EmulatorEnvironment(_objects.FullName, EmulatorCredentials);
        foreach (var (name, value) in new Dictionary<string, string>
        {
            ["Function__DrainTimeout"] = "00:00:02",
            ["Function__AllowedGatewayUrls__0"] = GatewayTunnelUrl,
            ["Function__AllowedGatewayUrls__1"] = OrdinaryPortTunnelUrl,
            ["Function__AllowedOrchestratorUrls__0"] = Control.Url,
            // The environments listing (which the tests read) exists in Development only.
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Emulator__IdleTimeout"] = "00:05:00",
            // Room for an environment of every function below, so that no test's warm environment is reclaimed
            // for another's cold start (the reclaim has its own test: EmulatorConcurrencyTests).
            ["Emulator__MaxConcurrency"] = "32",
        })
        {
            environment[name] = value;
        }

        foreach (var name in Functions)
        {
            // The same function dialling its tunnel as WebSockets instead of plain upgrades (its configuration as
            // a command-line argument: an environment variable name cannot carry the section separator here).
            BuiltApps.AddJitFunction(environment, name, TimeSpan.FromSeconds(30),
                name == "websocket" ? ["--Function:TunnelTransport=WebSocket"] : []);
        }

        // Timeout 5 s: the function ends its life itself before Lambda's deadline (it honours the header). The deadline
        // counts from the invoke, so the cold start eats into it: 2 s was once all eaten by a JIT cold start on a loaded
        // machine, and the emulator killed the function before its life began.
        BuiltApps.AddJitFunction(environment, "short", FunctionFixture.ShortTimeout);
        // A "runtime" that never polls: only the emulator's kill at the timeout ends its invocation.
        BuiltApps.AddEmulatorFunction(environment, "sleeper", "sleep", TimeSpan.FromSeconds(2), "60");

        _emulator = await BuiltApps.StartAsync(BuiltApps.Emulator, emulatorPort, environment);
        Emulator = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{emulatorPort}"), Timeout = TimeSpan.FromSeconds(90) };
    }

    /// <summary>
    /// The payload the orchestrator would send for <paramref name="key"/> (its tokens minted by the orchestrator's own
    /// code): tunnelling into <paramref name="gateway"/> (default: the tunnel port), with a control stream unless
    /// <paramref name="control"/> is false, its tokens covering <paramref name="tokenKeys"/> (default: the key).
    /// </summary>
    public FunctionPayload Payload(string key, TimeSpan tick, bool control = true, string? gateway = null, IReadOnlyList<string>? tokenKeys = null) =>
        Control.Tokens.Payload(tokenKeys ?? [key], tick, [gateway ?? GatewayTunnelUrl], control ? Control.Url : null) with { Keys = [key] };

    /// <summary>The payload with <paramref name="token"/> as the token for its gateway (a forged or expired one).</summary>
    public static FunctionPayload WithGatewayToken(FunctionPayload payload, string token) =>
        payload with { Tokens = new Dictionary<string, string>(payload.Tokens) { [payload.GatewayTunnelUrl] = token } };

    /// <summary>Invokes through the emulator's Invoke API, signed as the orchestrator signs.</summary>
    public Task<HttpResponseMessage> InvokeAsync(string function, FunctionPayload payload, string type = "Event") =>
        Emulator.SendAsync(SignedInvoke(Emulator.BaseAddress!, function, JsonSerializer.SerializeToUtf8Bytes(payload, FunctionJsonContext.Default.FunctionPayload),
            type, EmulatorCredentials));

    /// <summary>An Invoke request of <paramref name="function"/> with <paramref name="body"/>, SigV4-signed with <paramref name="credentials"/> (null: unsigned).</summary>
    public static HttpRequestMessage SignedInvoke(Uri emulator, string function, byte[] body, string type, SigV4Credentials? credentials)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(emulator, $"/2015-03-31/functions/{function}/invocations"))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Amz-Invocation-Type", type);
        if (credentials is not null)
        {
            SigV4Signer.Sign(request, body, credentials, LambdaInvokeApi.EmulatorRegion, LambdaInvokeApi.Service, DateTimeOffset.UtcNow);
        }

        return request;
    }

    /// <summary>GETs <paramref name="key"/> through the gateway until the Lambda layer answers; the time it took.</summary>
    public Task<TimeSpan> WaitForLambdaAsync(string key, TimeSpan? timeout = null) =>
        WaitForLambdaAsync(Gateway, key, timeout ?? Wait, () => Logs);

    /// <summary>GETs <paramref name="key"/> through <paramref name="gateway"/> until the Lambda layer answers; the time it took.</summary>
    public static async Task<TimeSpan> WaitForLambdaAsync(HttpClient gateway, string key, TimeSpan timeout, Func<string> diagnostics)
    {
        var watch = Stopwatch.StartNew();
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await gateway.GetAsync($"/objects/{key}");
            return Origin(response) == "lambda";
        }, timeout, $"a Lambda-served response for {key}", diagnostics, interval: TimeSpan.FromMilliseconds(2));
        return watch.Elapsed;
    }

    /// <summary>Waits until the environment of <paramref name="function"/> is idle (its invocation returned).</summary>
    public Task<EnvironmentView> WaitForIdleAsync(string function, TimeSpan? timeout = null) =>
        Eventually.ReturnsAsync(async () => (await EnvironmentsAsync()).FirstOrDefault(e => e.Function == function && e.State == "Idle"),
            timeout ?? Wait, $"an idle environment of {function}", () => Logs);

    public async Task<IReadOnlyList<EnvironmentView>> EnvironmentsAsync() =>
        await Emulator.GetFromJsonAsync<List<EnvironmentView>>("/emulator/environments", JsonOptions) ?? [];

    public static string? Origin(HttpResponseMessage response) =>
        response.Headers.TryGetValues(ContentOrigin, out var values) ? values.FirstOrDefault() : null;

    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.First() : throw new InvalidOperationException($"No {name} header.");

    /// <summary>Whether process <paramref name="pid"/> is gone within <paramref name="timeout"/> (kills are asynchronous).</summary>
    public static Task<bool> ExitsWithinAsync(int pid, TimeSpan timeout) =>
        Eventually.TryHoldsAsync(() => Task.FromResult(!ProcessTree.IsAlive(pid)), timeout, TimeSpan.FromMilliseconds(50));

    /// <summary>What the kernel says of a process (state and parent), for a failure message.</summary>
    public static string Describe(int pid)
    {
        try
        {
            return string.Join(", ", File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("State:", StringComparison.Ordinal) || l.StartsWith("PPid:", StringComparison.Ordinal)));
        }
        catch (IOException)
        {
            return "no /proc entry";
        }
    }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public async Task DisposeAsync()
    {
        Gateway?.Dispose();
        Emulator?.Dispose();
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (Control is not null)
        {
            await Control.DisposeAsync();
        }

        if (Routes is not null)
        {
            await Routes.DisposeAsync();
        }

        _objects.Delete(recursive: true);
    }

    public sealed record EnvironmentView(string Id, string Function, int ProcessId, string State, int Invocations);
}

[CollectionDefinition(Name)]
public sealed class FunctionCollection : ICollectionFixture<FunctionFixture>
{
    public const string Name = "function";
}
