using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ReactiveCache.Core.Objects;
using ReactiveCache.Domain;
using ReactiveCache.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ReactiveCache.IntegrationTests.Gateway;

/// <summary>
/// S3 failing under steady load (a client in the test at about 200 requests a second, GETs and HEADs over a mix of
/// keys): every answer comes within the deadline, a failure is a clear 502/504 problem, a key a function holds is
/// still served, the gateway stays healthy, and it recovers by itself once S3 does. S3 is the shared s3rver behind
/// a fault-injecting loopback proxy.
/// </summary>
[Collection(nameof(TimingSensitive))]
public sealed class S3FaultTests(S3rverFixture s3, ITestOutputHelper output) : IClassFixture<S3rverFixture>
{
    private const int OriginDeadlineMs = 2_000;
    private const int RequestDeadlineMs = 3_000;

    /// <summary>What the client may wait beyond the request deadline (scheduling on a loaded 2-core machine).</summary>
    private const int MarginMs = 1_500;

    private const string HotKey = "faults/hot-on-lambda.bin";

    /// <summary>The key the recovery is probed with (through the gateway, and straight to S3 when it fails).</summary>
    private const string ProbeKey = "faults/object-3.bin";

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(5); // 200 requests a second

    private sealed record Answer(string Key, bool Head, HttpStatusCode Status, string? ContentType, string? ProblemType, string? Origin, double Ms, bool BodyMatches);

    [Fact]
    public async Task S3_answering_500_503_and_hanging_gets_clear_problems_within_the_deadline_and_the_gateway_recovers()
    {
        var objects = new Dictionary<string, byte[]>();
        using (var client = s3.CreateClient())
        {
            for (var i = 0; i < 12; i++)
            {
                var content = new byte[1_024 << (i % 8)]; // 1 KB … 128 KB
                Random.Shared.NextBytes(content);
                var key = $"faults/object-{i}.bin";
                objects[key] = content;
                await S3rverFixture.PutAsync(client, key, content);
            }
        }

        var hot = new byte[64 * 1_024];
        Random.Shared.NextBytes(hot);
        objects[HotKey] = hot;
        var lambda = new FakeLambdaLayer();
        lambda.Hold(new ObjectMetadata(HotKey, hot.Length, "\"hot-1\"", "application/octet-stream", DateTimeOffset.UnixEpoch), hot);

        await using var proxy = await FaultyS3Proxy.StartAsync(s3.ServiceUrl);
        await using var gateway = new GatewayFactory(s3, lambda: lambda, settings: new Dictionary<string, string?>
        {
            ["ObjectStore:ServiceUrl"] = proxy.ServiceUrl,
            ["ObjectStore:RetryMode"] = "Standard",
            ["ObjectStore:MaxErrorRetry"] = "2",
            ["ObjectStore:AttemptTimeoutMs"] = "1000",
            ["ObjectStore:ConnectTimeoutMs"] = "500",
            ["Origin:DeadlineMs"] = OriginDeadlineMs.ToString(),
            ["Origin:MaxConcurrentFetches"] = "32",
            ["Origin:FetchQueueLimit"] = "256",
            ["Limits:RequestDeadlineMs"] = RequestDeadlineMs.ToString(),
        });
        using var http = gateway.CreateClient();
        http.Timeout = TimeSpan.FromSeconds(30);
        gateway.Route(HotKey, CacheLayer.Lambda);

        var keys = objects.Keys.ToArray();
        foreach (var key in keys)
        {
            using var response = await http.GetAsync("/objects/" + key); // connections and code paths warm
        }

        var warm = await RunAsync(http, objects, keys, TimeSpan.FromSeconds(3));
        Report("healthy", warm, proxy);
        Assert.All(warm, a => Assert.True(a is { Status: HttpStatusCode.OK, BodyMatches: true }, $"healthy: {a}"));

        // S3 failing fast (500, 503) is a 502; but with the SDK's retries on a loaded machine the deadline can pass
        // first, and then it is a 504. S3 hanging is always a 504.
        string[] timedOut = ["origin-timeout", "request-deadline"];
        foreach (var (fault, expected) in new[]
                 {
                     (S3Fault.InternalError, HttpStatusCode.BadGateway),
                     (S3Fault.SlowDown, HttpStatusCode.BadGateway),
                     (S3Fault.Hang, HttpStatusCode.GatewayTimeout),
                 })
        {
            proxy.Fault = fault;
            var before = proxy.Requests;
            var answers = await RunAsync(http, objects, keys, TimeSpan.FromSeconds(10), probeHealth: () => http.GetAsync("/health"));
            Report(fault.ToString(), answers, proxy, proxy.Requests - before);

            Assert.All(answers, a => Assert.True(a.Ms <= RequestDeadlineMs + MarginMs, $"{fault}: answered after {a.Ms:F0} ms: {a}"));
            // The key a function holds never needs S3.
            Assert.All(answers.Where(a => a.Key == HotKey), a => Assert.True(a is { Status: HttpStatusCode.OK, BodyMatches: true, Origin: "lambda" }, $"{fault}: {a}"));
            // Every other key: a clear problem (a HEAD's has no body: its status and type of content only).
            var failed = answers.Where(a => a.Key != HotKey).ToList();
            Assert.All(failed, a =>
            {
                Assert.Equal("application/problem+json", a.ContentType);
                var clear = a.Status switch
                {
                    HttpStatusCode.BadGateway => expected == HttpStatusCode.BadGateway && (a.Head || a.ProblemType == "origin-unavailable"),
                    HttpStatusCode.GatewayTimeout => a.Head || timedOut.Contains(a.ProblemType),
                    _ => false,
                };
                Assert.True(clear, $"{fault}: not a clear {(int)expected}: {a}");
            });
            Assert.Contains(failed, a => a.Status == expected && !a.Head);
        }

        // Recovery: S3 is back, and the gateway serves from it again without help.
        proxy.Fault = S3Fault.None;
        var clock = Stopwatch.StartNew();
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await http.GetAsync("/objects/" + ProbeKey);
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(10), "a GET served from S3 again after the fault");
        output.WriteLine($"recovered: first good GET {clock.ElapsedMilliseconds} ms after the fault was cleared");
        var recovered = await RunAsync(http, objects, keys, TimeSpan.FromSeconds(4));
        Report("recovered", recovered, proxy);
        var diagnosis = recovered.All(a => a is { Status: HttpStatusCode.OK, BodyMatches: true }) ? "" : await DiagnoseAsync(proxy);
        Assert.All(recovered, a => Assert.True(a is { Status: HttpStatusCode.OK, BodyMatches: true }, $"recovered: {a}; {diagnosis}"));
    }

    /// <summary>What a failed recovery is told with: the machine's load, this process's thread pool, and S3 timed directly and through the proxy.</summary>
    private async Task<string> DiagnoseAsync(FaultyS3Proxy proxy)
    {
        var load = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg")).Trim() : "?";
        var pool = $"threads {ThreadPool.ThreadCount}, pending {ThreadPool.PendingWorkItemCount}";
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        async Task<string> TimeAsync(string baseUrl)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync($"{baseUrl}/{S3rver.Bucket}/{ProbeKey}");
            return $"{(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms";
        }

        var diagnosis = $"load {load}; {pool}; s3rver direct {await TimeAsync(s3.ServiceUrl)}, via proxy {await TimeAsync(proxy.ServiceUrl)}; held then forwarded {proxy.HeldThenForwarded}";
        output.WriteLine("diagnosis: " + diagnosis);
        return diagnosis;
    }

    /// <summary>Sends a request every <see cref="Interval"/> for <paramref name="duration"/> (one in ten a HEAD), then waits for every answer.</summary>
    private async Task<List<Answer>> RunAsync(HttpClient http, Dictionary<string, byte[]> objects, string[] keys, TimeSpan duration,
        Func<Task<HttpResponseMessage>>? probeHealth = null)
    {
        var answers = new ConcurrentBag<Answer>();
        var requests = new List<Task>();
        var health = new List<Task<HttpResponseMessage>>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; clock.Elapsed < duration; i++)
        {
            var due = Interval * i;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var key = keys[i % keys.Length];
            var head = i % 10 == 9;
            requests.Add(Task.Run(async () => answers.Add(await SendAsync(http, key, head, objects[key]))));
            if (probeHealth is not null && i % 200 == 100)
            {
                health.Add(probeHealth());
            }
        }

        await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(60));
        foreach (var probe in await Task.WhenAll(health))
        {
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode); // the gateway stays healthy while S3 is not
            probe.Dispose();
        }

        return [.. answers];
    }

    private static async Task<Answer> SendAsync(HttpClient http, string key, bool head, byte[] expected)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(new HttpRequestMessage(head ? HttpMethod.Head : HttpMethod.Get, "/objects/" + key));
        var body = await response.Content.ReadAsByteArrayAsync();
        var ms = clock.Elapsed.TotalMilliseconds;
        var contentType = response.Content.Headers.ContentType?.MediaType;
        string? problemType = null;
        if (contentType == "application/problem+json" && body.Length > 0)
        {
            using var problem = JsonDocument.Parse(body);
            problemType = problem.RootElement.TryGetProperty("type", out var type) ? type.GetString()?.Split('/').Last() : null;
        }

        var matches = response.StatusCode == HttpStatusCode.OK
                      && (head ? response.Content.Headers.ContentLength == expected.Length : body.AsSpan().SequenceEqual(expected));
        var origin = response.Headers.TryGetValues("Content-Origin", out var values) ? values.FirstOrDefault() : null;
        return new Answer(key, head, response.StatusCode, contentType, problemType, origin, ms, matches);
    }

    private void Report(string phase, List<Answer> answers, FaultyS3Proxy proxy, long? s3Requests = null)
    {
        var byStatus = string.Join(", ", answers.GroupBy(a => (int)a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"));
        var ms = answers.Select(a => a.Ms).Order().ToArray();
        output.WriteLine($"{phase}: {answers.Count} answers ({byStatus}); p50 {ms[ms.Length / 2]:F0} ms, p99 {ms[(int)(ms.Length * 0.99)]:F0} ms, max {ms[^1]:F0} ms"
                         + (s3Requests is { } n ? $"; {n} requests reached S3" : "") + $"; held then forwarded {proxy.HeldThenForwarded}");
    }
}
