using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ReactiveCache.Core.Link;
using ReactiveCache.Domain;
using ReactiveCache.IntegrationTests.Infrastructure;
using ReactiveCache.Orchestrator.Control;
using ReactiveCache.Orchestrator.Gateways;

namespace ReactiveCache.IntegrationTests.Gateway;

/// <summary>
/// The gateway link proves both ends: the orchestrator's real link service (hosted here on a loopback port) refuses a
/// peer that cannot prove it holds the link secret, which therefore can neither open a session nor take over a linked
/// gateway's id, while the real gateway keeps its session; and a gateway takes nothing from an orchestrator that
/// cannot prove it.
/// </summary>
public sealed class GatewayLinkSecurityTests(S3rverFixture s3) : IClassFixture<S3rverFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_peer_without_the_secret_cannot_open_a_session_nor_take_over_a_gateway_and_the_real_gateway_keeps_its_own()
    {
        await using var orchestrator = await LinkHost.StartAsync(TestOrchestrator.TestSecret);
        await using var gateway = new GatewayFactory(s3, orchestratorAddress: orchestrator.Address);
        using var _ = gateway.CreateClient();
        await Eventually.HoldsAsync(() => gateway.Link.IsConnected && orchestrator.Sessions.ConnectedGateways.Contains("test-gateway"), Wait,
            "the real gateway links");

        using var channel = GrpcChannel.ForAddress(orchestrator.Address);
        var client = new GatewayLink.GatewayLinkClient(channel);

        // A Hello without the handshake, under the real gateway's id.
        var noProof = await RefusalAsync(client, async call =>
        {
            await call.RequestStream.WriteAsync(new GatewayMessage { Hello = new Hello { GatewayId = "test-gateway", InstanceId = "intruder" } });
            await call.ResponseStream.MoveNext();
        });
        // The handshake with a made-up proof.
        var badProof = await RefusalAsync(client, async call =>
        {
            await call.RequestStream.WriteAsync(new GatewayMessage { Hello = GatewayLinkHandshake.NewHello("test-gateway", "intruder", 0) });
            Assert.True(await call.ResponseStream.MoveNext());
            Assert.Equal(OrchestratorMessage.KindOneofCase.Welcome, call.ResponseStream.Current.KindCase);
            await call.RequestStream.WriteAsync(new GatewayMessage { Proof = new GatewayProof { Proof = ByteString.CopyFrom(new byte[32]) } });
            await call.ResponseStream.MoveNext();
        });
        // The handshake done right, but with another secret.
        var wrongSecret = await RefusalAsync(client, async call =>
        {
            var hello = GatewayLinkHandshake.NewHello("test-gateway", "intruder", 0);
            await call.RequestStream.WriteAsync(new GatewayMessage { Hello = hello });
            await GatewayLinkHandshake.AuthenticateAsync(call.ResponseStream, (m, ct) => call.RequestStream.WriteAsync(m, ct),
                "not-the-link-secret-but-as-long-as-one-0123"u8.ToArray(), hello, CancellationToken.None);
            await call.ResponseStream.MoveNext();
        });
        // Events and drain acks straight away.
        var eventsFirst = await RefusalAsync(client, async call =>
        {
            await call.RequestStream.WriteAsync(new GatewayMessage { Events = new RequestEventBatch { Events = { new RequestEvent { Key = "1KB.txt", StatusCode = 200 } } } });
            await call.ResponseStream.MoveNext();
        });

        Assert.Equal(StatusCode.Unauthenticated, noProof);
        Assert.Equal(StatusCode.Unauthenticated, badProof);
        Assert.True(wrongSecret is StatusCode.Unauthenticated or null, $"the other secret's handshake ended with {wrongSecret}");
        Assert.Equal(StatusCode.InvalidArgument, eventsFirst);
        Assert.True(orchestrator.Sessions.RefusedLinks >= 2);

        // The real gateway never lost its session: no reconnect, still linked, and a route set now reaches it.
        Assert.Equal(["test-gateway"], orchestrator.Sessions.ConnectedGateways);
        Assert.Equal(1, gateway.Link.Sessions);
        Assert.True(gateway.Link.IsConnected);
        orchestrator.Sessions.SetRoute("1KB.txt", CacheLayer.Redis);
        await Eventually.HoldsAsync(() => gateway.Routes.Lookup("1KB.txt") == CacheLayer.Redis, Wait, "a route from the orchestrator reaches the gateway");
    }

    [Fact]
    public async Task A_gateway_takes_no_route_and_no_node_from_an_orchestrator_that_cannot_prove_itself()
    {
        await using var rogue = await TestOrchestratorHost.StartAsync(new TestOrchestrator { Secret = "a-rogue-orchestrator-without-the-secret-000"u8.ToArray() });
        rogue.Orchestrator.SetNode("rogue-node", "127.0.0.1:6399");
        rogue.Orchestrator.SetRoutes(("1KB.txt", CacheLayer.Redis));
        await using var gateway = new GatewayFactory(s3, orchestratorAddress: rogue.Address);
        using var client = gateway.CreateClient();

        // It keeps trying, but never takes the session.
        await Eventually.HoldsAsync(() => rogue.Orchestrator.Calls >= 2, Wait, "the gateway tries the rogue orchestrator twice");

        Assert.False(gateway.Link.IsConnected);
        Assert.Equal(0, gateway.Link.Sessions);
        Assert.Equal(0ul, gateway.Routes.Version);
        Assert.Equal(CacheLayer.S3, gateway.Routes.Lookup("1KB.txt"));
        using var response = await client.GetAsync("/objects/1KB.txt");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("s3", response.Headers.GetValues("Content-Origin").Single());
    }

    /// <summary>Runs <paramref name="attempt"/> on a fresh call and returns the status it ended with (null: it was not refused).</summary>
    private static async Task<StatusCode?> RefusalAsync(GatewayLink.GatewayLinkClient client, Func<AsyncDuplexStreamingCall<GatewayMessage, OrchestratorMessage>, Task> attempt)
    {
        using var timeout = new CancellationTokenSource(Wait);
        using var call = client.Connect(cancellationToken: timeout.Token);
        try
        {
            await attempt(call);
            return null;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
        catch (System.Security.Authentication.AuthenticationException)
        {
            // The intruder noticed first that the orchestrator's proof is not under its secret: no session either way.
            return null;
        }
    }

    /// <summary>The orchestrator's link service (its own registration) on a loopback HTTP/2 port.</summary>
    private sealed class LinkHost : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private LinkHost(WebApplication app, string address)
        {
            _app = app;
            Address = address;
        }

        public string Address { get; }

        public GatewaySessions Sessions => _app.Services.GetRequiredService<GatewaySessions>();

        public static async Task<LinkHost> StartAsync(string secret)
        {
            var (app, url) = await LoopbackGrpcHost.StartAsync(new Dictionary<string, string> { ["GatewayLink:Secret"] = secret },
                builder =>
                {
                    builder.AddGatewayLinks();
                    builder.AddControlApiAccess();
                },
                app =>
                {
                    app.UseControlApiAccess();
                    app.MapGatewayLinks();
                });
            return new LinkHost(app, url);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
