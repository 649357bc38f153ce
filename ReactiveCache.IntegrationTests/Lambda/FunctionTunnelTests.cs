using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ReactiveCache.Core.Functions;
using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.IntegrationTests.Lambda;

/// <summary>An invoke cold-starts the function, which tunnels into the gateway; the Lambda layer serves; warm reuse.</summary>
[Collection(FunctionCollection.Name)]
public sealed class FunctionTunnelTests(FunctionFixture fixture)
{
    [Fact]
    public async Task A_cold_invocation_tunnels_in_and_the_gateway_serves_from_lambda_then_a_warm_one_is_faster()
    {
        const string key = "1KB.txt";
        using (var before = await fixture.Gateway.GetAsync($"/objects/{key}"))
        {
            Assert.Equal("s3", FunctionFixture.Origin(before));
        }

        // Cold: a new process.
        var coldWatch = Stopwatch.StartNew();
        using var cold = await fixture.InvokeAsync("cold", fixture.Payload(key, TimeSpan.FromSeconds(1)));
        Assert.Equal(HttpStatusCode.Accepted, cold.StatusCode);
        Assert.Equal("true", FunctionFixture.Header(cold, "X-Emulator-Cold-Start"));
        var pid = FunctionFixture.Header(cold, "X-Emulator-Process-Id");
        await fixture.WaitForLambdaAsync(key);
        var coldActivation = coldWatch.Elapsed;

        using (var served = await fixture.Gateway.GetAsync($"/objects/{key}"))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal("lambda", FunctionFixture.Origin(served));
            Assert.Equal(SampleObjects.All[key], await served.Content.ReadAsByteArrayAsync());
            Assert.NotNull(served.Headers.ETag);
        }

        // By default the function dials plain HTTP/1.1 upgrades, not WebSockets; on the tunnel port, whose
        // sockets the gateway takes over after the 101.
        Assert.Contains($"tunnelled in for {key} (transport {TunnelProtocol.UpgradeToken} on the tunnel port)", fixture.Logs);

        // The life ends a TICK or so after the last GET; the environment goes idle, the process stays.
        await fixture.WaitForIdleAsync("cold");
        using (var after = await fixture.Gateway.GetAsync($"/objects/{key}"))
        {
            Assert.Equal("s3", FunctionFixture.Origin(after));
        }

        // Warm: the same process, objects already in memory.
        var warmWatch = Stopwatch.StartNew();
        using var warm = await fixture.InvokeAsync("cold", fixture.Payload(key, TimeSpan.FromSeconds(1)));
        Assert.Equal("false", FunctionFixture.Header(warm, "X-Emulator-Cold-Start"));
        Assert.Equal(pid, FunctionFixture.Header(warm, "X-Emulator-Process-Id"));
        await fixture.WaitForLambdaAsync(key);
        var warmActivation = warmWatch.Elapsed;

        Assert.True(warmActivation < coldActivation, $"warm {warmActivation.TotalMilliseconds} ms, cold {coldActivation.TotalMilliseconds} ms");
        Assert.Single(await fixture.EnvironmentsAsync(), e => e.Function == "cold");
        await fixture.WaitForIdleAsync("cold");
    }

    [Fact]
    public async Task The_function_serves_the_gateway_semantics_through_the_tunnel()
    {
        const string key = "index.html";
        using var invoke = await fixture.InvokeAsync("events", fixture.Payload(key, TimeSpan.FromSeconds(2), control: false));
        await fixture.WaitForLambdaAsync(key);

        using var full = await fixture.Gateway.GetAsync($"/objects/{key}");
        var etag = full.Headers.ETag!;
        Assert.Equal("text/html", full.Content.Headers.ContentType?.MediaType);
        Assert.Equal(144, full.Content.Headers.ContentLength);

        using var notModified = new HttpRequestMessage(HttpMethod.Get, $"/objects/{key}");
        notModified.Headers.IfNoneMatch.Add(etag);
        using var response304 = await fixture.Gateway.SendAsync(notModified);
        Assert.Equal(HttpStatusCode.NotModified, response304.StatusCode);
        Assert.Equal("lambda", FunctionFixture.Origin(response304));

        using var range = new HttpRequestMessage(HttpMethod.Get, $"/objects/{key}");
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 14);
        using var response206 = await fixture.Gateway.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, response206.StatusCode);
        Assert.Equal("lambda", FunctionFixture.Origin(response206));
        Assert.Equal("bytes 0-14/144", response206.Content.Headers.ContentRange?.ToString());
        Assert.Equal("<!DOCTYPE html>", await response206.Content.ReadAsStringAsync());

        using var head = await fixture.Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/objects/{key}"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(144, head.Content.Headers.ContentLength);
        await fixture.WaitForIdleAsync("events");
    }

    /// <summary>
    /// The other ways in serve the same: a function dialling WebSockets (on the tunnel port), and one dialling
    /// the gateway's ordinary port, whose connections stay Kestrel's (its upgraded stream carries the tunnel).
    /// </summary>
    [Theory]
    [InlineData("websocket", false, "websocket")]
    [InlineData("ordinary", true, TunnelProtocol.UpgradeToken)]
    public async Task A_function_dialling_websockets_or_the_ordinary_port_serves_the_same(string function, bool ordinaryPort, string transport)
    {
        const string key = "100B.txt";
        var payload = fixture.Payload(key, TimeSpan.FromSeconds(1), control: false, gateway: ordinaryPort ? fixture.OrdinaryPortTunnelUrl : null);

        using var invoke = await fixture.InvokeAsync(function, payload);
        await fixture.WaitForLambdaAsync(key);

        using var served = await fixture.Gateway.GetAsync($"/objects/{key}");

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("lambda", FunctionFixture.Origin(served));
        Assert.Equal(SampleObjects.All[key], await served.Content.ReadAsByteArrayAsync());
        Assert.Contains($"tunnelled in for {key} (transport {transport})", fixture.Logs);
        await fixture.WaitForIdleAsync(function);
    }

    [Fact]
    public async Task A_key_the_function_does_not_hold_falls_back_to_s3()
    {
        // The token lets the function tunnel in for two keys, but it loaded only one: the gateway routes
        // both to it, and the function's miss answer is not passed on.
        var payload = fixture.Payload("100B.txt", TimeSpan.FromSeconds(2), control: false, tokenKeys: ["100B.txt", "1KB.txt"]);
        using var invoke = await fixture.InvokeAsync("miss", payload);
        await fixture.WaitForLambdaAsync("100B.txt");
        var forwardedBefore = Forwarded("1KB.txt");

        using var response = await fixture.Gateway.GetAsync("/objects/1KB.txt");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("s3", FunctionFixture.Origin(response));
        Assert.Equal(SampleObjects.All["1KB.txt"], await response.Content.ReadAsByteArrayAsync());
        // It did go to the function first (the gateway logs each forward).
        await Eventually.HoldsAsync(() => Forwarded("1KB.txt") > forwardedBefore, TimeSpan.FromSeconds(5), "the request was forwarded to the function", () => fixture.Logs);
        await fixture.WaitForIdleAsync("miss");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_function_whose_process_dies_between_requests_is_forgotten_before_a_request_tries_it(bool tunnelPort)
    {
        const string key = "100B.txt";
        var (pid, invocation) = await ServingAsync("dying", key, TimeSpan.FromSeconds(20), tunnelPort);

        // Killed while none of its tunnel connections carries a request: nothing but the sockets' ends tell.
        Process.GetProcessById(pid).Kill();
        var gone = $"Function invocation {invocation} lost its last tunnel connection without a goodbye";
        await Eventually.HoldsAsync(() => fixture.Logs.Contains(gone, StringComparison.Ordinal), TimeSpan.FromSeconds(10), gone, () => fixture.Logs);

        // Forgotten: requests go straight to S3, none is forwarded to the dead function first.
        var forwardedBefore = Forwarded(key);
        for (var i = 0; i < 10; i++)
        {
            using var response = await fixture.Gateway.GetAsync($"/objects/{key}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("s3", FunctionFixture.Origin(response));
        }

        Assert.Equal(forwardedBefore, Forwarded(key));
    }

    /// <summary>Invokes <paramref name="function"/> for <paramref name="key"/>, dialling the tunnel port or the ordinary one, until it serves.</summary>
    private async Task<(int Pid, string Invocation)> ServingAsync(string function, string key, TimeSpan tick, bool tunnelPort)
    {
        var payload = fixture.Payload(key, tick, control: false, gateway: tunnelPort ? null : fixture.OrdinaryPortTunnelUrl);

        using var invoke = await fixture.InvokeAsync(function, payload);
        var pid = int.Parse(FunctionFixture.Header(invoke, "X-Emulator-Process-Id"));
        await fixture.WaitForLambdaAsync(key);
        // The gateway knows the function by the orchestrator's invocation id (its tokens name it), not Lambda's request id.
        return (pid, payload.InvocationId);
    }

    private int Forwarded(string key) =>
        System.Text.RegularExpressions.Regex.Count(fixture.Logs, $@"\.tunnel/objects/{System.Text.RegularExpressions.Regex.Escape(key)}");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Killing_the_function_mid_load_leaves_no_failed_client_request(bool tunnelPort)
    {
        const string key = "1MB.txt";
        var (pid, _) = await ServingAsync("load", key, TimeSpan.FromSeconds(10), tunnelPort);

        var expected = SampleObjects.All[key];
        var origins = new System.Collections.Concurrent.ConcurrentBag<string>();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        var clients = Enumerable.Range(0, 6).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await fixture.Gateway.GetAsync($"/objects/{key}");
                    var body = await response.Content.ReadAsByteArrayAsync();
                    if (response.StatusCode != HttpStatusCode.OK || !body.AsSpan().SequenceEqual(expected))
                    {
                        failures.Add($"{(int)response.StatusCode} {body.Length} bytes from {FunctionFixture.Origin(response)}");
                    }
                    else
                    {
                        origins.Add(FunctionFixture.Origin(response) ?? "?");
                    }
                }
                catch (Exception e) when (e is HttpRequestException or IOException)
                {
                    failures.Add(e.Message);
                }
            }
        }).ToList();

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Process.GetProcessById(pid).Kill();
        await Task.WhenAll(clients);

        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(10)));
        Assert.Contains("lambda", origins);
        Assert.Contains("s3", origins);
        var environments = await fixture.EnvironmentsAsync();
        Assert.DoesNotContain(environments, e => e.ProcessId == pid && e.State != "Dead");
    }
}
