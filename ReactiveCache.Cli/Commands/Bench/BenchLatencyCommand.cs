using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ReactiveCache.Cli.Infrastructure;
using ReactiveCache.Core.Routing;
using Spectre.Console;
using ReactiveCache.Domain;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// <c>reactive-cache bench latency</c>: the thesis's latency table on a running stack. For each layer and
/// object size it pins the key to the layer through the control API (<c>PUT /routes/{key}?layer=</c>),
/// waits until the gateway answers from that layer, then times N sequential GETs (whole body read).
/// Run the AppHost with <c>Policy:Kind=S3Only</c> so that the policy leaves the pins alone.
/// </summary>
public static class BenchLatencyCommand
{
    private static readonly string[] Layers = [CacheLayerNames.S3, CacheLayerNames.Lambda, CacheLayerNames.Redis];

    /// <summary>The thesis's means at the proxy (ms) for 100 B / 1 KB / 1 MB, for reference (docs/thesis.md §4).</summary>
    private static readonly Dictionary<string, double[]> Thesis = new()
    {
        [CacheLayerNames.S3] = [50.7, 70.1, 149.3],
        [CacheLayerNames.Lambda] = [1.87, 1.48, 58.5],
        [CacheLayerNames.Redis] = [0.94, 0.90, 51.3],
    };

    public static Command Create()
    {
        var gateway = new Option<string>("--gateway") { Description = "The gateway's URL.", DefaultValueFactory = _ => "http://localhost:4000" };
        var control = new Option<string>("--control") { Description = "The orchestrator's control API URL.", DefaultValueFactory = _ => "http://localhost:3000" };
        var controlKey = new Option<string?>("--control-key")
        {
            Description = "The control API's key (the AppHost's control-api-key parameter); default: the REACTIVECACHE_CONTROL_KEY environment variable.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("REACTIVECACHE_CONTROL_KEY"),
        };
        var requests = new Option<int>("--requests") { Description = "Timed GETs per layer and size (the thesis: 30).", DefaultValueFactory = _ => 30 };
        var keys = new Option<string[]>("--keys") { Description = "Objects of increasing size.", DefaultValueFactory = _ => ["100B.txt", "1KB.txt", "1MB.txt"], AllowMultipleArgumentsPerToken = true };
        var command = new Command("latency", "Mean GET latency per layer × object size on a running stack (pins keys through the control API).")
        {
            gateway, control, controlKey, requests, keys,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async output =>
        {
            var n = parse.GetValue(requests);
            if (n is < 1 or > 10_000)
            {
                throw new CliError("--requests must be within 1..10000.");
            }

            using var gatewayClient = new HttpClient { BaseAddress = Url(parse.GetValue(gateway)!, "--gateway"), Timeout = TimeSpan.FromSeconds(30) };
            using var controlClient = new HttpClient { BaseAddress = Url(parse.GetValue(control)!, "--control"), Timeout = TimeSpan.FromSeconds(30) };
            if (parse.GetValue(controlKey) is { Length: > 0 } apiKey)
            {
                controlClient.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
            }

            var config = await controlClient.GetFromJsonAsync<JsonElement>("/config", cancellationToken);
            var policy = config.GetProperty("policy").GetProperty("kind").ToString();
            if (!string.Equals(policy, "S3Only", StringComparison.OrdinalIgnoreCase) && !string.Equals(policy, "3", StringComparison.Ordinal))
            {
                await output.WriteLineAsync($"warning: the orchestrator runs the {policy} policy, which may move the pinned keys; start the AppHost with Policy:Kind=S3Only.");
            }

            var objects = parse.GetValue(keys)!;
            var latencies = new Dictionary<(string Layer, string Key), LatencyHistogram>();
            foreach (var layer in Layers)
            {
                foreach (var key in objects)
                {
                    latencies[(layer, key)] = await MeasureAsync(gatewayClient, controlClient, key, layer, n, cancellationToken);
                }
            }

            foreach (var key in objects)
            {
                using var _ = await controlClient.PutAsync($"/routes/{key}?layer=s3", null, cancellationToken);
            }

            var table = new Table().AddColumns("layer", "object", "mean ms", "p50 ms", "p99 ms", "× S3 (same run)", "thesis at proxy, mean ms");
            foreach (var layer in Layers)
            {
                for (var i = 0; i < objects.Length; i++)
                {
                    var s = latencies[(layer, objects[i])];
                    table.AddRow(layer, objects[i], F(s.MeanMs), F(s.P50Ms), F(s.P99Ms),
                        (s.MeanMs / latencies[(CacheLayerNames.S3, objects[i])].MeanMs).ToString("0.000", CultureInfo.InvariantCulture),
                        objects.Length == 3 ? F(Thesis[layer][i]) : "");
                }
            }

            AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) }).Write(table);
            return 0;
        }));
        return command;
    }

    private static async Task<LatencyHistogram> MeasureAsync(HttpClient gateway, HttpClient control, string key, string layer, int n, CancellationToken cancellationToken)
    {
        using (var pin = await control.PutAsync($"/routes/{key}?layer={layer}", null, cancellationToken))
        {
            if (!pin.IsSuccessStatusCode)
            {
                throw new CliError($"pinning {key} to {layer}: {(int)pin.StatusCode} {await pin.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }

        // Until the gateway answers from the layer (a function cold-starts, the node boots and loads).
        var waiting = Stopwatch.StartNew();
        while (await OriginAsync(gateway, key, cancellationToken) != layer)
        {
            if (waiting.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new CliError($"{key} is not served from {layer} after {waiting.Elapsed.TotalSeconds:0} s.");
            }

            await Task.Delay(200, cancellationToken);
        }

        var samples = new LatencyHistogram();
        for (var i = 0; i < n; i++)
        {
            var clock = Stopwatch.StartNew();
            var origin = await OriginAsync(gateway, key, cancellationToken);
            samples.Record(clock.Elapsed);
            if (origin != layer)
            {
                throw new CliError($"{key} moved from {layer} to {origin} during the measurement; run the orchestrator with Policy:Kind=S3Only.");
            }
        }

        return samples;
    }

    private static async Task<string> OriginAsync(HttpClient gateway, string key, CancellationToken cancellationToken)
    {
        using var response = await gateway.GetAsync($"/objects/{key}", HttpCompletionOption.ResponseContentRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        return response.Headers.TryGetValues("Content-Origin", out var values) ? values.FirstOrDefault() ?? "" : "";
    }

    private static Uri Url(string value, string option) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new CliError($"{option} '{value}' is not an http(s) URL.");

    private static string F(double ms) => ms.ToString("0.00", CultureInfo.InvariantCulture);
}
