using System.Net;
using System.Net.WebSockets;
using System.Net.Http.Json;
using ReactiveCache.Core.Functions;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.IntegrationTests.Lambda;

/// <summary>
/// The gateway's tunnel endpoint (dialled on the tunnel port, as functions do) refuses bad and expired tokens;
/// a refused function fails its invocation.
/// </summary>
[Collection(FunctionCollection.Name)]
public sealed class TunnelSecurityTests(FunctionFixture fixture)
{
    [Fact]
    public async Task A_token_signed_with_another_secret_is_refused_with_401()
    {
        var forged = TunnelToken.Mint("another-secret-of-at-least-32-characters"u8, ["1KB.txt"], DateTimeOffset.UtcNow.AddMinutes(5));

        Assert.Equal(HttpStatusCode.Unauthorized, await ConnectAsync(forged));
    }

    [Fact]
    public async Task A_missing_token_is_refused_with_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await ConnectAsync(null));
    }

    [Fact]
    public async Task An_expired_token_is_refused_with_403()
    {
        var expired = TunnelToken.Mint(System.Text.Encoding.UTF8.GetBytes(fixture.Secret), ["1KB.txt"], DateTimeOffset.UtcNow.AddSeconds(-1));

        Assert.Equal(HttpStatusCode.Forbidden, await ConnectAsync(expired));
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
        var forged = TunnelToken.Mint("another-secret-of-at-least-32-characters"u8, ["100B.txt"], DateTimeOffset.UtcNow.AddMinutes(5));
        using var response = await fixture.InvokeAsync("refused", fixture.Payload("100B.txt", TimeSpan.FromSeconds(5), forged, control: false), "RequestResponse");

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

    [Fact]
    public async Task A_websocket_dial_is_checked_the_same_way()
    {
        var forged = TunnelToken.Mint("another-secret-of-at-least-32-characters"u8, ["1KB.txt"], DateTimeOffset.UtcNow.AddMinutes(5));
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
        var token = TunnelToken.Mint(System.Text.Encoding.UTF8.GetBytes(fixture.Secret), ["1KB.txt"], DateTimeOffset.UtcNow.AddMinutes(5));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{fixture.GatewayTunnelUrl}?invocation=x");
        request.Headers.Authorization = new("Bearer", token);
        using var response = await fixture.Gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TunnelProtocol.UpgradeToken, response.Headers.Upgrade.ToString());
    }

    /// <summary>Dials as the function does (an HTTP/1.1 upgrade) and returns the gateway's answer.</summary>
    private async Task<HttpStatusCode> ConnectAsync(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{fixture.GatewayTunnelUrl}?invocation=test");
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
