using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Grpc.Core;

namespace ReactiveCache.Core.Link;

/// <summary>
/// The gateway link's mutual proof (<c>gateway_link.proto</c>, step 1a): both sides hold the link secret, and each
/// proves it over two fresh challenges before the other trusts a message, the orchestrator first. Proofs are
/// HMAC-SHA256 under a key derived from the secret for the gateway id (so a proof made for one gateway id says
/// nothing about another), over a role label (a proof cannot be reflected back), the gateway id and instance, and
/// both challenges (a recorded handshake cannot be replayed). Written by hand: the link is cleartext h2c on a
/// private network and needs no more than this; mutual TLS would need a certificate authority the local run lacks.
/// </summary>
public static class GatewayLinkHandshake
{
    public const int MinimumSecretLength = 32;

    /// <summary>Bytes of a challenge.</summary>
    public const int ChallengeBytes = 32;

    /// <summary>How long a peer has to complete the handshake before the call is ended.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private const string OrchestratorRole = "orchestrator";
    private const string GatewayRole = "gateway";

    /// <summary>The secret as configured: its UTF-8 bytes (at least <see cref="MinimumSecretLength"/> characters), or null when unset.</summary>
    public static byte[]? SecretBytes(string? configured) =>
        string.IsNullOrEmpty(configured) ? null : Encoding.UTF8.GetBytes(configured);

    /// <summary>The gateway's Hello, with a fresh challenge.</summary>
    public static Hello NewHello(string gatewayId, string instanceId, ulong routeVersion) => new()
    {
        GatewayId = gatewayId,
        InstanceId = instanceId,
        RouteVersion = routeVersion,
        Challenge = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(ChallengeBytes)),
    };

    /// <summary>
    /// The orchestrator's side: reads the Hello, proves itself with a Welcome, and checks the gateway's proof.
    /// Returns the authenticated Hello; throws <see cref="RpcException"/> (INVALID_ARGUMENT, UNAUTHENTICATED,
    /// DEADLINE_EXCEEDED) otherwise. Nothing about the session exists before it returns.
    /// </summary>
    public static async Task<Hello> AcceptAsync(IAsyncStreamReader<GatewayMessage> requests, IServerStreamWriter<OrchestratorMessage> responses,
        byte[]? secret, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            if (!await requests.MoveNext(timeout.Token) || requests.Current.KindCase != GatewayMessage.KindOneofCase.Hello
                || string.IsNullOrWhiteSpace(requests.Current.Hello.GatewayId))
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, "The first message of a gateway link must be a Hello with a gateway_id."));
            }

            var hello = requests.Current.Hello;
            if (secret is null)
            {
                throw new RpcException(new Status(StatusCode.Unauthenticated, "This orchestrator has no GatewayLink:Secret: it links no gateway."));
            }

            if (hello.Challenge.Length != ChallengeBytes)
            {
                throw new RpcException(new Status(StatusCode.Unauthenticated, "The Hello carries no challenge: the gateway does not authenticate."));
            }

            var key = KeyFor(secret, hello.GatewayId);
            var mine = RandomNumberGenerator.GetBytes(ChallengeBytes);
            await responses.WriteAsync(new OrchestratorMessage
            {
                Welcome = new Welcome { Challenge = ByteString.CopyFrom(mine), Proof = ByteString.CopyFrom(Prove(key, OrchestratorRole, hello, mine)) },
            }, timeout.Token);

            if (!await requests.MoveNext(timeout.Token) || requests.Current.KindCase != GatewayMessage.KindOneofCase.Proof
                || !CryptographicOperations.FixedTimeEquals(requests.Current.Proof.Proof.Span, Prove(key, GatewayRole, hello, mine)))
            {
                throw new RpcException(new Status(StatusCode.Unauthenticated, "The gateway did not prove that it holds the link secret for its gateway_id."));
            }

            return hello;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"The gateway link handshake took longer than {Timeout}."));
        }
    }

    /// <summary>
    /// The gateway's side, after it sent <paramref name="hello"/> (from <see cref="NewHello"/>): checks the
    /// orchestrator's Welcome and sends its own proof through <paramref name="send"/>. Throws
    /// <see cref="AuthenticationException"/> when the orchestrator does not prove itself.
    /// </summary>
    public static async Task AuthenticateAsync(IAsyncStreamReader<OrchestratorMessage> responses, Func<GatewayMessage, CancellationToken, Task> send,
        byte[] secret, Hello hello, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        if (!await responses.MoveNext(timeout.Token) || responses.Current.KindCase != OrchestratorMessage.KindOneofCase.Welcome)
        {
            throw new AuthenticationException("The orchestrator did not open the session with a Welcome.");
        }

        var welcome = responses.Current.Welcome;
        var key = KeyFor(secret, hello.GatewayId);
        if (welcome.Challenge.Length != ChallengeBytes
            || !CryptographicOperations.FixedTimeEquals(welcome.Proof.Span, Prove(key, OrchestratorRole, hello, welcome.Challenge.Span)))
        {
            throw new AuthenticationException("The orchestrator did not prove that it holds the link secret.");
        }

        await send(new GatewayMessage { Proof = new GatewayProof { Proof = ByteString.CopyFrom(Prove(key, GatewayRole, hello, welcome.Challenge.Span)) } },
            cancellationToken);
    }

    /// <summary>The key of one gateway id: HMAC of the id under the link secret.</summary>
    private static byte[] KeyFor(byte[] secret, string gatewayId) =>
        HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes("reactivecache gateway link\n" + gatewayId));

    private static byte[] Prove(byte[] key, string role, Hello hello, ReadOnlySpan<byte> orchestratorChallenge) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(string.Join('\n',
            role, hello.GatewayId, hello.InstanceId, Convert.ToBase64String(hello.Challenge.Span), Convert.ToBase64String(orchestratorChallenge))));
}
