using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using ReactiveCache.Core.Functions;
using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.IntegrationTests.Lambda;

/// <summary>
/// The gateway's tunnel endpoint (dialled on the tunnel port, as functions do) refuses bad, expired and misaddressed
/// tokens and tokens of another invocation, caps the connections of one invocation, and takes a function's server
/// error for a failure of the layer (the client gets the object from S3); a refused function fails its invocation.
/// </summary>
[Collection(FunctionCollection.Name)]
public sealed class TunnelSecurityTests(FunctionFixture fixture)
{
    private const string OtherSecret = "another-secret-of-at-least-32-characters";

    [Fact]
    public async Task A_token_signed_with_another_secret_is_refused_with_401()
    {
        var forged = TunnelToken.Mint(Encoding.UTF8.GetBytes(OtherSecret), "test", fixture.GatewayTunnelUrl, ["1KB.txt"], DateTimeOffset.UtcNow.AddMinutes(5));

        Assert.Equal(HttpStatusCode.Unauthorized, await ConnectAsync("test", forged));
    }

    [Fact]
    public async Task A_missing_token_is_refused_with_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await ConnectAsync("test", null));
    }

    [Fact]
    public async Task An_expired_token_is_refused_with_403()
    {
        var expired = fixture.Mint("test", ["1KB.txt"], expires: DateTimeOffset.UtcNow.AddSeconds(-1));

        Assert.Equal(HttpStatusCode.Forbidden, await ConnectAsync("test", expired));
    }

    [Fact]
    public async Task A_token_of_another_invocation_is_refused_with_403()
    {
        Assert.Equal(HttpStatusCode.Forbidden, await ConnectAsync("this-one", fixture.Mint("that-one", ["1KB.txt"])));
    }

    [Fact]
    public async Task A_token_addressed_to_another_gateway_is_refused_with_403()
    {
        var elsewhere = fixture.Mint("test", ["1KB.txt"], audience: "http://127.0.0.2:4001/tunnel/connect");

        Assert.Equal(HttpStatusCode.Forbidden, await ConnectAsync("test", elsewhere));
    }

    /// <summary>
    /// A function serves key B; whoever holds a genuine token for key A (and knows B's invocation id, which the gateway
    /// logs) must not join B's tunnel: its connections would be handed B's requests, and it could answer them.
    /// </summary>
    [Fact]
    public async Task A_token_for_key_a_cannot_join_the_tunnel_of_a_function_serving_key_b()
    {
        const string keyB = "100B.txt";
        var payload = fixture.Payload(keyB, TimeSpan.FromSeconds(3), control: false);
        using var invoke = await fixture.InvokeAsync("events", payload);
        await fixture.WaitForLambdaAsync(keyB);

        var keyAToken = fixture.Mint("invocation-of-a", ["1KB.txt"]);
        Assert.Equal(HttpStatusCode.Forbidden, await ConnectAsync(payload.InvocationId, keyAToken));
        // Nor with a token of B's own keys that names another invocation.
        Assert.Equal(HttpStatusCode.Forbidden, await ConnectAsync(payload.InvocationId, fixture.Mint("invocation-of-a", [keyB])));

        using var served = await fixture.Gateway.GetAsync($"/objects/{keyB}");
        Assert.Equal(SampleObjects.All[keyB], await served.Content.ReadAsByteArrayAsync());
        await fixture.WaitForIdleAsync("events");
    }

    [Fact]
    public async Task An_invocation_gets_no_more_connections_than_the_cap()
    {
        // A key no route names: these hand-dialled connections carry nothing.
        const string invocation = "cap-probe";
        var token = fixture.Mint(invocation, ["cap/probe.txt"]);
        var port = new Uri(fixture.GatewayTunnelUrl).Port;
        var sockets = new List<TcpClient>();
        try
        {
            for (var i = 0; i < FunctionFixture.MaxConnectionsPerInvocation; i++)
            {
                var tcp = new TcpClient(AddressFamily.InterNetwork);
                sockets.Add(tcp);
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                Assert.StartsWith("HTTP/1.1 101", await HandDialledTunnel.DialAsync(tcp.GetStream(), $"127.0.0.1:{port}", invocation, token));
            }

            using var oneMore = new TcpClient(AddressFamily.InterNetwork);
            await oneMore.ConnectAsync(IPAddress.Loopback, port);
            var refused = await HandDialledTunnel.DialAsync(oneMore.GetStream(), $"127.0.0.1:{port}", invocation, token);

            Assert.StartsWith("HTTP/1.1 429", refused);
            Assert.Contains("application/problem+json", refused, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>A function that answers 500 has failed: the client gets the object from S3, not the error.</summary>
    [Fact]
    public Task A_function_answering_500_falls_back_to_s3_with_no_client_error() =>
        AFaultyFunctionIsNeverSeenAsync("answers-500",
            (stream, forwarded) => HandDialledTunnel.ServeAsync(stream, "500 Internal Server Error", Encoding.ASCII.GetBytes("the function broke"), forwarded),
            within: FunctionFixture.Wait);

    /// <summary>
    /// A function that takes the request and never answers: the client still gets the object from S3, well before the
    /// request deadline (10 s), because the tunnel gives up on the function's response head (Tunnel:FirstByteTimeout, 3 s).
    /// </summary>
    [Fact]
    public Task A_function_that_never_answers_falls_back_to_s3_before_the_request_deadline() =>
        AFaultyFunctionIsNeverSeenAsync("never-answers", HandDialledTunnel.SwallowAsync, within: TimeSpan.FromSeconds(8));

    /// <summary>
    /// Hand-dials a function for index.html that behaves as <paramref name="function"/> does, then GETs the key until a
    /// request has been seen to reach it: every answer must be the object from S3, each <paramref name="within"/>.
    /// </summary>
    private async Task AFaultyFunctionIsNeverSeenAsync(string invocation, Func<Stream, ICollection<string>, Task> function, TimeSpan within)
    {
        const string key = "index.html";
        var port = new Uri(fixture.GatewayTunnelUrl).Port;
        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        Assert.StartsWith("HTTP/1.1 101", await HandDialledTunnel.DialAsync(stream, $"127.0.0.1:{port}", invocation, fixture.Mint(invocation, [key])));
        var forwarded = new List<string>();
        var serving = Task.Run(() => function(stream, forwarded));

        // Every answer is the object from S3, until one of them has been seen to reach the faulty function first
        // (the gateway registers the hand-dialled connection just after the 101).
        var failures = new List<string>();
        await Eventually.HoldsAsync(async () =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var response = await fixture.Gateway.GetAsync($"/objects/{key}");
            var body = await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode != HttpStatusCode.OK || FunctionFixture.Origin(response) != "s3" || !body.AsSpan().SequenceEqual(SampleObjects.All[key])
                || clock.Elapsed > within)
            {
                failures.Add($"{(int)response.StatusCode} from {FunctionFixture.Origin(response)} after {clock.ElapsedMilliseconds} ms: {Encoding.ASCII.GetString(body)}");
            }

            lock (forwarded)
            {
                return forwarded.Count > 0;
            }
        }, FunctionFixture.Wait, "a request forwarded to the function", () => fixture.Logs);

        Assert.Empty(failures);
        tcp.Dispose();
        await serving.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task A_refusal_is_problem_json()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{fixture.GatewayTunnelUrl}?invocation=x");
        request.Headers.Authorization = new("Bearer", "not.a-token");
        using var response = await fixture.Gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_function_whose_token_is_refused_fails_its_invocation_and_never_serves()
    {
        var payload = fixture.Payload("100B.txt", TimeSpan.FromSeconds(5), control: false);
        var forged = TunnelToken.Mint(Encoding.UTF8.GetBytes(OtherSecret), payload.InvocationId, fixture.GatewayTunnelUrl, ["100B.txt"], DateTimeOffset.UtcNow.AddMinutes(5));
        using var response = await fixture.InvokeAsync("refused", FunctionFixture.WithGatewayToken(payload, forged), "RequestResponse");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Unhandled", FunctionFixture.Header(response, "X-Amz-Function-Error"));
        var error = await response.Content.ReadFromJsonAsync(FunctionJsonContext.Default.FunctionError);
        Assert.Contains("401", error!.ErrorMessage);
    }

    [Fact]
    public async Task A_payload_naming_a_gateway_that_is_no_url_fails_the_invocation_clearly()
    {
        var payload = fixture.Payload("100B.txt", TimeSpan.FromSeconds(5), control: false) with { MoreGatewayTunnelUrls = ["not a url"] };
        using var response = await fixture.InvokeAsync("refused", payload, "RequestResponse");

        Assert.Equal("Unhandled", FunctionFixture.Header(response, "X-Amz-Function-Error"));
        var error = await response.Content.ReadFromJsonAsync(FunctionJsonContext.Default.FunctionError);
        Assert.Contains("moreGatewayTunnelUrls", error!.ErrorMessage);
    }

    /// <summary>Whoever can invoke the function cannot make it dial anywhere but the configured gateways, nor load an invalid key.</summary>
    [Theory]
    [InlineData("gateway", "AllowedGatewayUrls")]
    [InlineData("orchestrator", "AllowedOrchestratorUrls")]
    [InlineData("key", "key-dot-segment")]
    public async Task A_payload_outside_the_allow_lists_or_with_an_invalid_key_fails_the_invocation(string what, string message)
    {
        var payload = fixture.Payload("100B.txt", TimeSpan.FromSeconds(5), control: what == "orchestrator");
        payload = what switch
        {
            "gateway" => payload with
            {
                MoreGatewayTunnelUrls = ["http://127.0.0.2:9/tunnel/connect"],
                Tokens = new Dictionary<string, string>(payload.Tokens) { ["http://127.0.0.2:9/tunnel/connect"] = payload.Tokens[payload.GatewayTunnelUrl] },
            },
            "orchestrator" => payload with
            {
                OrchestratorUrl = "http://127.0.0.2:9",
                Tokens = new Dictionary<string, string>(payload.Tokens) { ["http://127.0.0.2:9"] = payload.Tokens[payload.OrchestratorUrl!] },
            },
            _ => payload with { Keys = ["../etc/passwd"] },
        };
        using var response = await fixture.InvokeAsync("refused", payload, "RequestResponse");

        Assert.Equal("Unhandled", FunctionFixture.Header(response, "X-Amz-Function-Error"));
        var error = await response.Content.ReadFromJsonAsync(FunctionJsonContext.Default.FunctionError);
        Assert.Contains(message, error!.ErrorMessage);
    }

    [Fact]
    public async Task A_websocket_dial_is_checked_the_same_way()
    {
        var forged = TunnelToken.Mint(Encoding.UTF8.GetBytes(OtherSecret), "test", fixture.GatewayTunnelUrl, ["1KB.txt"], DateTimeOffset.UtcNow.AddMinutes(5));
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Authorization", $"Bearer {forged}");
        var uri = new UriBuilder(fixture.GatewayTunnelUrl) { Scheme = "ws", Query = "invocation=test" }.Uri;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, cts.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    [Fact]
    public async Task A_good_token_without_an_upgrade_gets_426_naming_the_upgrade()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{fixture.GatewayTunnelUrl}?invocation=x");
        request.Headers.Authorization = new("Bearer", fixture.Mint("x", ["1KB.txt"]));
        using var response = await fixture.Gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TunnelProtocol.UpgradeToken, response.Headers.Upgrade.ToString());
    }

    /// <summary>Dials as the function does (an HTTP/1.1 upgrade) and returns the gateway's answer.</summary>
    private async Task<HttpStatusCode> ConnectAsync(string invocationId, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{fixture.GatewayTunnelUrl}?invocation={invocationId}");
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue(TunnelProtocol.UpgradeToken));
        using var response = await fixture.Gateway.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }
}
