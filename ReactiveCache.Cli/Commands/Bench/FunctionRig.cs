using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReactiveCache.Core.Functions;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// The real gateway (serving objects through a connected function first, <c>Tunnel:ServeObjectsThroughLambda</c>)
/// and the Lambda emulator, as built programs on loopback ports, with no orchestrator: functions are invoked
/// by hand with a token this rig mints. Used by <c>bench startup</c> and <c>bench gateway</c>; disposing
/// stops both processes (and the function processes the emulator started).
/// </summary>
internal sealed class FunctionRig : IAsyncDisposable
{
    /// <summary>How long an activation or an environment's return may take.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private readonly byte[] _secret;
    private readonly string _tunnelUrl;

    private FunctionRig(LocalProcess gateway, LocalProcess emulator, int gatewayPort, int emulatorPort, byte[] secret)
    {
        Gateway = gateway;
        Emulator = emulator;
        _secret = secret;
        GatewayAddress = new Uri($"http://127.0.0.1:{gatewayPort}/");
        _tunnelUrl = $"http://127.0.0.1:{gatewayPort}{TunnelProtocol.ConnectPath}";
        GatewayClient = new HttpClient { BaseAddress = GatewayAddress, Timeout = TimeSpan.FromSeconds(10) };
        EmulatorClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{emulatorPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public LocalProcess Gateway { get; }

    public LocalProcess Emulator { get; }

    public Uri GatewayAddress { get; }

    public HttpClient GatewayClient { get; }

    public HttpClient EmulatorClient { get; }

    /// <summary>Both processes' output, for a failed run's message.</summary>
    public string Output => $"--- emulator ---\n{Emulator.Output}\n--- gateway ---\n{Gateway.Output}";

    /// <summary>
    /// Starts the gateway and the emulator with the folder object store at <paramref name="objectsRoot"/>;
    /// <paramref name="emulatorSettings"/> adds the functions (<c>Emulator__Functions__…</c>) and limits.
    /// </summary>
    public static async Task<FunctionRig> StartAsync(RepoLayout layout, string objectsRoot, IReadOnlyDictionary<string, string> emulatorSettings, CancellationToken cancellationToken)
    {
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var common = new Dictionary<string, string>
        {
            ["ObjectStore__Kind"] = "Folder",
            ["ObjectStore__Root"] = objectsRoot,
            ["OTEL_SDK_DISABLED"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var emulatorEnvironment = new Dictionary<string, string>(common)
        {
            // The environments' lines (the function's own output) are what explains a failed run.
            ["Logging__LogLevel__ReactiveCache.LambdaEmulator"] = "Information",
            ["Logging__LogLevel__ReactiveCache.Lambda"] = "Information",
        };
        foreach (var (name, value) in emulatorSettings)
        {
            emulatorEnvironment[name] = value;
        }

        var gatewayDll = layout.Dll("ReactiveCache.Gateway");
        var emulatorDll = layout.Dll("ReactiveCache.LambdaEmulator");
        var gatewayPort = LocalProcess.FreePort();
        var emulatorPort = LocalProcess.FreePort();
        var gateway = await LocalProcess.StartDotnetAsync(gatewayDll, gatewayPort,
            new Dictionary<string, string>(common) { ["Tunnel__Secret"] = secret, ["Tunnel__ServeObjectsThroughLambda"] = "true" }, cancellationToken);
        LocalProcess emulator;
        try
        {
            emulator = await LocalProcess.StartDotnetAsync(emulatorDll, emulatorPort, emulatorEnvironment, cancellationToken);
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }

        return new FunctionRig(gateway, emulator, gatewayPort, emulatorPort, Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>The payload the orchestrator would send: these keys, this TICK, this gateway's tunnel, a token valid for an hour.</summary>
    public FunctionPayload Payload(IReadOnlyList<string> keys, TimeSpan tick) =>
        new(keys, tick.TotalSeconds, _tunnelUrl, null,
            TunnelToken.Mint(_secret, keys, DateTimeOffset.UtcNow.AddHours(1)));

    /// <summary>
    /// Invokes <paramref name="function"/> (<c>Event</c>) and polls the gateway until a GET of the payload's
    /// first key is answered through the tunnel; the elapsed ms. <paramref name="expectCold"/> set: the
    /// emulator must have made that kind of start.
    /// </summary>
    public async Task<double> ActivateAsync(string function, FunctionPayload payload, bool? expectCold, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/2015-03-31/functions/{function}/invocations")
        {
            Content = JsonContent.Create(payload, FunctionJsonContext.Default.FunctionPayload),
        };
        request.Headers.Add("X-Amz-Invocation-Type", "Event");
        using (var invoke = await EmulatorClient.SendAsync(request, cancellationToken))
        {
            invoke.EnsureSuccessStatusCode();
            var cold = invoke.Headers.TryGetValues("X-Emulator-Cold-Start", out var values) && values.First() == "true";
            if (expectCold is { } expected && cold != expected)
            {
                throw new InvalidOperationException($"{function}: expected a {(expected ? "cold" : "warm")} start, the emulator made a {(cold ? "cold" : "warm")} one.");
            }
        }

        var key = payload.Keys[0];
        while (watch.Elapsed < Wait)
        {
            using var response = await GatewayClient.GetAsync($"/objects/{key}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.Headers.TryGetValues("Content-Origin", out var origin) && origin.First() == "lambda")
            {
                return watch.Elapsed.TotalMilliseconds;
            }
        }

        throw new TimeoutException($"{function} served no GET within {Wait}.");
    }

    /// <summary>Waits until the function's environment is idle; its cold start (process start → first next) in ms.</summary>
    public async Task<double> WaitForIdleAsync(string function, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < Wait)
        {
            using var document = JsonDocument.Parse(await EmulatorClient.GetStringAsync("/emulator/environments", cancellationToken));
            var idle = document.RootElement.EnumerateArray().FirstOrDefault(e =>
                e.GetProperty("function").GetString() == function && e.GetProperty("state").GetString() == "Idle");
            if (idle.ValueKind == JsonValueKind.Object)
            {
                return idle.GetProperty("coldStartMs").GetDouble();
            }

            await Task.Delay(20, cancellationToken);
        }

        throw new TimeoutException($"{function} did not return within {Wait}.");
    }

    public async ValueTask DisposeAsync()
    {
        GatewayClient.Dispose();
        EmulatorClient.Dispose();
        // The emulator first: it takes the function processes with it (killed as its process tree).
        await Emulator.DisposeAsync();
        await Gateway.DisposeAsync();
    }
}
