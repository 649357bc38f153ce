using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Routing;
using ReactiveCache.Core.Tunnel;
using ReactiveCache.IntegrationTests.Gateway;
using ReactiveCache.IntegrationTests.Infrastructure;
using ReactiveCache.Domain;

namespace ReactiveCache.IntegrationTests.Lambda;

/// <summary>
/// A tunnel port served over TLS: the socket carries ciphertext, so after the 101 the gateway must keep Kestrel's
/// (decrypting) upgraded stream instead of taking the socket over. The "function" here is the test itself, speaking
/// the tunnel's HTTP/1.1 over its own TLS stream: the real function trusts only certificates its machine trusts.
/// </summary>
public sealed class TunnelPortTlsTests : IAsyncLifetime
{
    private const string Key = "1KB.txt";
    private static readonly byte[] FromTheFunction = Encoding.ASCII.GetBytes("served by the test's function over TLS");

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("tunnel-tls-");
    private readonly string _secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
    private TestOrchestratorHost _routes = null!;
    private ServerProcess? _gateway;
    private HttpClient _client = null!;
    private int _tunnelPort;

    public async Task InitializeAsync()
    {
        var objects = _folder.CreateSubdirectory("objects");
        SampleObjects.SeedFolder(objects.FullName);
        var certificate = Path.Combine(_folder.FullName, "tunnel.pfx");
        await File.WriteAllBytesAsync(certificate, SelfSignedCertificate("reactive-cache-test"));
        _routes = await TestOrchestratorHost.StartAsync();
        _routes.Orchestrator.SetRoutes([(Key, CacheLayer.Lambda)]);

        var port = FreePort.Next();
        _tunnelPort = FreePort.Next(except: port);
        _gateway = await BuiltApps.StartAsync(BuiltApps.Gateway, port, new Dictionary<string, string>
        {
            ["ObjectStore__Kind"] = "Folder",
            ["ObjectStore__Root"] = objects.FullName,
            ["Tunnel__Secret"] = _secret,
            ["Tunnel__ListenPort"] = _tunnelPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Kestrel__Certificates__Default__Path"] = certificate,
            ["Kestrel__Certificates__Default__Password"] = "reactive-cache-test",
            ["OrchestratorLink__Secret"] = TestOrchestrator.TestSecret,
            ["CacheNode__Password"] = "a-node-password-the-test-orchestrator-never-uses",
            ["OrchestratorLink__Address"] = _routes.Address,
            ["OTEL_SDK_DISABLED"] = "true",
        }, [$"https://127.0.0.1:{_tunnelPort}"]);
        _client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = FunctionFixture.Wait };
        await _routes.WaitForGatewayAsync(FunctionFixture.Wait, () => _gateway.Output);
    }

    [Fact]
    public async Task A_dial_over_tls_keeps_kestrels_stream_and_the_function_serves_through_it()
    {
        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(IPAddress.Loopback, _tunnelPort);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("127.0.0.1");
        var token = TunnelToken.Mint(Encoding.UTF8.GetBytes(_secret), "tls-dial", $"https://127.0.0.1:{_tunnelPort}{TunnelProtocol.ConnectPath}", [Key],
            DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.StartsWith("HTTP/1.1 101", await HandDialledTunnel.DialAsync(tls, $"127.0.0.1:{_tunnelPort}", "tls-dial", token));

        // The function's side: answer every forwarded request with its own bytes, until the gateway lets go.
        var forwarded = new List<string>();
        var serving = Task.Run(() => HandDialledTunnel.ServeAsync(tls, "200 OK", FromTheFunction, forwarded));

        // The gateway registers the connection just after the 101: until then the key is served from S3.
        await FunctionFixture.WaitForLambdaAsync(_client, Key, FunctionFixture.Wait, () => _gateway!.Output);

        for (var i = 0; i < 3; i++)
        {
            using var response = await _client.GetAsync($"/objects/{Key}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("lambda", FunctionFixture.Origin(response));
            Assert.Equal(FromTheFunction, await response.Content.ReadAsByteArrayAsync());
        }

        lock (forwarded)
        {
            Assert.All(forwarded, line => Assert.Equal($"GET /objects/{Key} HTTP/1.1", line));
        }

        Assert.NotEmpty(forwarded);
        // Kestrel's upgraded stream, not the socket: the takeover is for plain-text dials only.
        Assert.Contains($"tunnelled in for {Key} (transport {TunnelProtocol.UpgradeToken})", _gateway!.Output);
        Assert.False(serving.IsFaulted, serving.Exception?.ToString());
    }

    private static byte[] SelfSignedCertificate(string password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.Export(X509ContentType.Pfx, password);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_routes is not null)
        {
            await _routes.DisposeAsync();
        }

        _folder.Delete(recursive: true);
    }
}
