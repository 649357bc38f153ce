using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Link;
using ReactiveCache.Orchestrator.Gateways;

namespace ReactiveCache.UnitTests.Orchestrator.Gateways;

public sealed class GatewayLinkServiceTests
{
    [Fact]
    public async Task A_message_that_cannot_be_written_ends_the_session_so_that_the_gateway_starts_again()
    {
        const string secret = "a link secret of thirty-two chars";
        var sessions = new GatewaySessions(NullLogger<GatewaySessions>.Instance);
        var service = new GatewayLinkService(sessions, Options.Create(new GatewayLinkOptions { Secret = secret }), NullLogger<GatewayLinkService>.Instance);
        var incoming = Channel.CreateUnbounded<GatewayMessage>();
        var outgoing = Channel.CreateUnbounded<OrchestratorMessage>();
        var hello = GatewayLinkHandshake.NewHello("g1", "i1", 0);
        incoming.Writer.TryWrite(new GatewayMessage { Hello = hello });
        using var call = new CancellationTokenSource();

        // The Welcome and the node go out, the route snapshot does not; the gateway stays connected and sends nothing more.
        var connect = service.Connect(new StreamOf<GatewayMessage>(incoming.Reader), new FailingWriter(outgoing.Writer, failAt: 3), new CallContext(call.Token));
        await GatewayLinkHandshake.AuthenticateAsync(new StreamOf<OrchestratorMessage>(outgoing.Reader),
            (m, ct) => incoming.Writer.WriteAsync(m, ct).AsTask(), GatewayLinkHandshake.SecretBytes(secret)!, hello, call.Token);

        await connect.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(sessions.ConnectedGateways);
    }

    private sealed class StreamOf<T>(ChannelReader<T> messages) : IAsyncStreamReader<T>
        where T : class
    {
        public T Current { get; private set; } = null!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!await messages.WaitToReadAsync(cancellationToken))
            {
                return false;
            }

            Current = await messages.ReadAsync(cancellationToken);
            return true;
        }
    }

    private sealed class FailingWriter(ChannelWriter<OrchestratorMessage> written, int failAt) : IServerStreamWriter<OrchestratorMessage>
    {
        private int _written;

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(OrchestratorMessage message, CancellationToken cancellationToken) => WriteAsync(message);

        public Task WriteAsync(OrchestratorMessage message)
        {
            if (++_written == failAt)
            {
                return Task.FromException(new RpcException(new Status(StatusCode.ResourceExhausted, "Too large.")));
            }

            written.TryWrite(message);
            return Task.CompletedTask;
        }
    }

    private sealed class CallContext(CancellationToken cancellationToken) : ServerCallContext
    {
        protected override string MethodCore => "/gateway_link.GatewayLink/Connect";

        protected override string HostCore => "localhost";

        protected override string PeerCore => "ipv4:127.0.0.1:1";

        protected override DateTime DeadlineCore => DateTime.MaxValue;

        protected override Metadata RequestHeadersCore { get; } = [];

        protected override CancellationToken CancellationTokenCore => cancellationToken;

        protected override Metadata ResponseTrailersCore { get; } = [];

        protected override Status StatusCore { get; set; }

        protected override WriteOptions? WriteOptionsCore { get; set; }

        protected override AuthContext AuthContextCore => new(null, []);

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
