using System.Net;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using ReactiveCache.Core.Tunnel;
using ReactiveCache.IntegrationTests.Lambda;

namespace ReactiveCache.IntegrationTests.AppHost;

/// <summary>
/// The local run (AppHost) has the function: a key pinned to the Lambda layer makes the orchestrator invoke
/// it through the emulator; it tunnels into every gateway, which then serve the key through it.
/// </summary>
public sealed class AppHostFunctionTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task In_the_local_run_a_key_pinned_to_lambda_is_served_by_the_invoked_function_through_each_gateway()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ReactiveCache_AppHost>(["Gateways=2"], cts.Token);
        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            // Nothing listens for OTLP in tests; exporting would only slow shutdown (about 13 s per app).
            builder.CreateResourceBuilder(project).WithEnvironment("OTEL_SDK_DISABLED", "true");
        }

        await using var app = await builder.BuildAsync(cts.Token);
        await app.StartAsync(cts.Token);
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        foreach (var name in new[] { "orchestrator", "lambda-emulator", "gateway", "gateway-2" })
        {
            await notifications.WaitForResourceHealthyAsync(name, cts.Token);
        }

        var parameters = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>().ToList();
        var secret = await parameters.Single(p => p.Name == "tunnel-secret").GetValueAsync(cts.Token);
        var controlApiKey = await parameters.Single(p => p.Name == "control-api-key").GetValueAsync(cts.Token);
        const string key = "100B.txt";

        // The key pinned to the Lambda layer: the orchestrator invokes the function through the emulator (a signed
        // Invoke; payload with its tunnel URLs, control address and tokens) and routes the key once it connects.
        using var orchestrator = app.CreateHttpClient("orchestrator", "http");
        orchestrator.DefaultRequestHeaders.Authorization = new("Bearer", controlApiKey);
        using var pinned = await orchestrator.PutAsync($"/routes/{key}?layer=lambda", null, cts.Token);
        Assert.Equal(HttpStatusCode.Accepted, pinned.StatusCode);

        // One function, one tunnel into each gateway: both serve the key through it.
        foreach (var name in new[] { "gateway", "gateway-2" })
        {
            using var gateway = app.CreateHttpClient(name, "http");
            var last = "";
            await Eventually.HoldsAsync(async () =>
            {
                using var response = await gateway.GetAsync($"/objects/{key}", cts.Token);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                if (FunctionFixture.Origin(response) == "lambda")
                {
                    return true;
                }

                // What the orchestrator thinks of the key, for the failure message.
                using var state = await orchestrator.GetAsync($"/state/{key}", cts.Token);
                last = $"served by {FunctionFixture.Origin(response)}; orchestrator /state/{key}: {(int)state.StatusCode} {await state.Content.ReadAsStringAsync(cts.Token)}";
                return false;
            }, TimeSpan.FromMinutes(1), $"{name} serves {key} from the function", () => last);
        }

        // The function was told to dial each gateway's tunnel port (the AppHost's "tunnel" endpoint, whose
        // sockets the gateway takes over after the 101), which answers a dial without a token with 401.
        var configuration = await ExecutionConfigurationBuilder.Create(builder.Resources.Single(r => r.Name == "orchestrator"))
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(new DistributedApplicationExecutionContextOptions(DistributedApplicationOperation.Run)
            {
                Services = app.Services,
            }), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, cts.Token);
        var environment = configuration.EnvironmentVariables.ToDictionary();
        Assert.Equal(new Uri(app.GetEndpoint("gateway", "tunnel"), TunnelProtocol.ConnectPath), new Uri(environment["Function__GatewayTunnelUrl"]));
        Assert.Equal(new Uri(app.GetEndpoint("gateway-2", "tunnel"), TunnelProtocol.ConnectPath), new Uri(environment["Function__MoreGatewayTunnelUrls__0"]));
        using (var tunnelPort = app.CreateHttpClient("gateway", "tunnel"))
        using (var dial = await tunnelPort.GetAsync($"{TunnelProtocol.ConnectPath}?invocation=probe", cts.Token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, dial.StatusCode);
        }

        // The orchestrator's links endpoint speaks gRPC (HTTP/2 prior knowledge) at the address the
        // function is given: a stream opened with a valid token stays open, waiting for commands. Its key is one
        // nothing happens to: commands go to every stream holding a key, and the policy may well tell the pinned
        // key's functions to keep running while the GETs above count as demand.
        const string quietKey = "index.html";
        var links = app.GetEndpoint("orchestrator", "links");
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(links);
        var control = new ReactiveCache.Core.Protos.Function.FunctionControl.FunctionControlClient(channel);
        var probe = new ReactiveCache.Core.Protos.Function.ControlRequest
        {
            InvocationId = "probe",
            Token = TunnelToken.Mint(Encoding.UTF8.GetBytes(secret!), "probe", links.ToString(), [quietKey], DateTimeOffset.UtcNow.AddMinutes(5)),
        };
        probe.Keys.Add(quietKey);
        using var call = control.Control(probe, cancellationToken: cts.Token);
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        quiet.CancelAfter(TimeSpan.FromSeconds(2));
        // The probe is no function this orchestrator started, dialling after its reconciliation, for a key nothing else
        // holds: it is adopted (Orchestrator/Engine/LateFunctions.cs). The stream stays open; the policy, which sees no
        // demand for the key, may already tell it to shut down within these 2 s, or not yet.
        try
        {
            Assert.True(await call.ResponseStream.MoveNext(quiet.Token), "the orchestrator ended the stream");
            Assert.Equal(ReactiveCache.Core.Protos.Function.ControlCommand.CommandOneofCase.Shutdown, call.ResponseStream.Current.CommandCase);
            output.WriteLine("the probe was told to shut down");
        }
        catch (Grpc.Core.RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.Cancelled)
        {
            output.WriteLine("the probe was told nothing within 2 s");
        }

        // Adopted, not sent away: the policy took the key up on the Lambda layer.
        var api = new ControlApiClient(orchestrator);
        var history = "";
        await Eventually.HoldsAsync(async () =>
        {
            using var state = await orchestrator.GetAsync($"/state/{quietKey}", cts.Token);
            if (!state.IsSuccessStatusCode)
            {
                history = $"/state/{quietKey}: {(int)state.StatusCode}";
                return false;
            }

            var changes = await api.HistoryOfAsync(quietKey);
            history = string.Join(" → ", changes.Select(c => c.State));
            return changes.Any(c => c.State == "Lambda");
        }, TimeSpan.FromSeconds(30), $"the probe adopted for {quietKey}", () => history);
    }
}
