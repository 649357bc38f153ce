using System.Text;
using Amazon.Runtime;
using ReactiveCache.Core.Functions;
using ReactiveCache.IntegrationTests.Infrastructure;
using ReactiveCache.IntegrationTests.Lambda;
using ReactiveCache.Orchestrator.Functions;

namespace ReactiveCache.IntegrationTests.LambdaEmulator;

/// <summary>
/// The emulator checks SigV4 signatures as Lambda does, so the orchestrator's AWS invoker runs against it
/// unchanged: signed with the emulator's key pair, the call gets through (to the function lookup); with a wrong
/// secret it is refused with 403 before anything else (unsigned and tampered calls: EmulatorSecurityTests).
/// </summary>
public sealed class EmulatorSignatureTests : IAsyncLifetime
{
    private const string AccessKey = "EMULATORTESTKEY00001";
    private const string SecretKey = "emulator-test-secret-key-not-used-anywhere-else";

    private readonly int _port = FreePort.Next();
    private ServerProcess? _emulator;

    public async Task InitializeAsync()
    {
        var environment = new Dictionary<string, string>
        {
            ["OTEL_SDK_DISABLED"] = "true",
            ["Emulator__AccessKey"] = AccessKey,
            ["Emulator__SecretKey"] = SecretKey,
        };
        // A "runtime" that never polls; only its name matters here (a DryRun starts nothing).
        BuiltApps.AddEmulatorFunction(environment, "known", "sleep", TimeSpan.FromSeconds(2), "60");
        _emulator = await BuiltApps.StartAsync(BuiltApps.Emulator, _port, environment);
    }

    public async Task DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_aws_invoker_signed_with_the_emulators_key_pair_gets_through()
    {
        var invocation = await Invoker(new BasicAWSCredentials(AccessKey, SecretKey))
            .InvokeAsync(Payload(), FunctionInvocationType.RequestResponse, CancellationToken.None);

        // Past the signature check: the next one is the function's name, unknown here.
        Assert.True(invocation.StatusCode == 404, Encoding.UTF8.GetString(invocation.Body));
        Assert.Contains("ResourceNotFoundException", Encoding.UTF8.GetString(invocation.Body));
    }

    [Fact]
    public async Task The_aws_invoker_with_a_wrong_secret_is_refused_with_an_invalid_signature()
    {
        var invocation = await Invoker(new BasicAWSCredentials(AccessKey, "a-wrong-secret-key"))
            .InvokeAsync(Payload(), FunctionInvocationType.RequestResponse, CancellationToken.None);

        Assert.Equal(403, invocation.StatusCode);
        Assert.Contains("InvalidSignatureException", Encoding.UTF8.GetString(invocation.Body));
    }

    private static FunctionPayload Payload() => new("test-invocation", ["index.html"], 1, "http://127.0.0.1:1/tunnel/connect", null,
        new Dictionary<string, string> { ["http://127.0.0.1:1/tunnel/connect"] = "token" });

    private AwsFunctionInvoker Invoker(AWSCredentials credentials) =>
        AwsInvokers.Create($"http://127.0.0.1:{_port}", "no-such-function", LambdaInvokeApi.EmulatorRegion, credentials);
}
