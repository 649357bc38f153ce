using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReactiveCache.Core.Aws;
using ReactiveCache.Core.Functions;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// The Lambda emulator, as the built program on a loopback port, running functions that tunnel into a
/// gateway the bench hosts (<see cref="InProcessGateway"/>, its routes set by the bench); no orchestrator:
/// functions are invoked by hand with a token minted with the gateway's secret. Used by <c>bench startup</c>
/// and <c>bench gateway</c>; disposing stops the emulator and the function processes it started.
/// </summary>
internal sealed class FunctionRig : IAsyncDisposable
{
    /// <summary>How long an activation or an environment's return may take.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private readonly InProcessGateway _gateway;

    private FunctionRig(InProcessGateway gateway, LocalProcess emulator, int emulatorPort)
    {
        _gateway = gateway;
        Emulator = emulator;
        GatewayClient = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        EmulatorClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{emulatorPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public LocalProcess Emulator { get; }

    public HttpClient GatewayClient { get; }

    public HttpClient EmulatorClient { get; }

    /// <summary>The emulator's output (with the functions' lines), for a failed run's message.</summary>
    public string Output => $"--- emulator ---\n{Emulator.Output}";

    /// <summary>
    /// Starts the emulator with the folder object store at <paramref name="objectsRoot"/>, its functions
    /// dialling <paramref name="gateway"/>; <paramref name="emulatorSettings"/> adds the functions
    /// (<c>Emulator__Functions__…</c>) and limits.
    /// </summary>
    public static async Task<FunctionRig> StartAsync(RepoLayout layout, string objectsRoot, InProcessGateway gateway,
        IReadOnlyDictionary<string, string> emulatorSettings, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>
        {
            ["ObjectStore__Kind"] = "Folder",
            ["ObjectStore__Root"] = objectsRoot,
            ["OTEL_SDK_DISABLED"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
            // The environments' lines (the function's own output) are what explains a failed run.
            ["Logging__LogLevel__ReactiveCache.LambdaEmulator"] = "Information",
            ["Logging__LogLevel__ReactiveCache.Lambda"] = "Information",
            // The emulator checks Invoke signatures, lists environments in Development only, and its functions dial only the bench's gateway.
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Emulator__AccessKey"] = EmulatorCredentials.AccessKey,
            ["Emulator__SecretKey"] = EmulatorCredentials.SecretKey,
            ["Function__AllowedGatewayUrls__0"] = gateway.TunnelUrl.ToString(),
        };
        foreach (var (name, value) in emulatorSettings)
        {
            environment[name] = value;
        }

        var emulatorPort = BenchPorts.Free();
        var emulator = await LocalProcess.StartDotnetAsync(layout.Dll("ReactiveCache.LambdaEmulator"), emulatorPort, environment, cancellationToken);
        return new FunctionRig(gateway, emulator, emulatorPort);
    }

    private int? _functionProcessId;

    /// <summary>CPU time the last invoked function's process has used so far (zero before an invoke or once it is gone).</summary>
    public TimeSpan FunctionCpuTime
    {
        get
        {
            if (_functionProcessId is not { } pid)
            {
                return TimeSpan.Zero;
            }

            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                return process.TotalProcessorTime;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                return TimeSpan.Zero;
            }
        }
    }

    /// <summary>The payload the orchestrator would send: these keys, this TICK, this gateway's tunnel, a token valid for an hour.</summary>
    public FunctionPayload Payload(IReadOnlyList<string> keys, TimeSpan tick) =>
        FunctionPayload.Create(_gateway.TunnelSecret, keys, tick, [_gateway.TunnelUrl.ToString()], null, DateTimeOffset.UtcNow.AddHours(1));

    /// <summary>The key pair the rig's emulator checks Invoke signatures with (generated per run).</summary>
    private static readonly SigV4Credentials EmulatorCredentials = new("BENCHEMULATORKEY", Convert.ToHexString(RandomNumberGenerator.GetBytes(20)));

    /// <summary>
    /// Invokes <paramref name="function"/> (<c>Event</c>) and polls the gateway until a GET of the payload's
    /// first key is answered through the tunnel; the elapsed ms. <paramref name="expectCold"/> set: the
    /// emulator must have made that kind of start.
    /// </summary>
    public async Task<double> ActivateAsync(string function, FunctionPayload payload, bool? expectCold, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, FunctionJsonContext.Default.FunctionPayload);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(EmulatorClient.BaseAddress!, $"/2015-03-31/functions/{function}/invocations"))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Amz-Invocation-Type", "Event");
        SigV4Signer.Sign(request, body, EmulatorCredentials, LambdaInvokeApi.EmulatorRegion, LambdaInvokeApi.Service, DateTimeOffset.UtcNow);
        using (var invoke = await EmulatorClient.SendAsync(request, cancellationToken))
        {
            invoke.EnsureSuccessStatusCode();
            if (invoke.Headers.TryGetValues("X-Emulator-Process-Id", out var pids) && int.TryParse(pids.First(), out var pid))
            {
                _functionProcessId = pid;
            }

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
        // The emulator takes the function processes with it (killed as its process tree).
        await Emulator.DisposeAsync();
    }
}
