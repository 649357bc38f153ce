using System.Net;
using System.Net.Http.Json;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using ReactiveCache.Core.Functions;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.Tests.Function;

/// <summary>The local run (AppHost) has the function: the emulator runs it, it tunnels into the gateway and opens its control stream.</summary>
public sealed class AppHostFunctionTests
{
    [Fact]
    public async Task In_the_local_run_an_invoked_function_serves_through_the_gateway_and_reaches_the_orchestrator()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ReactiveCache_AppHost>(cts.Token);
        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            // Nothing listens for OTLP in tests; exporting would only slow shutdown (PLATFORM.md).
            builder.CreateResourceBuilder(project).WithEnvironment("OTEL_SDK_DISABLED", "true");
        }

        // This test invokes the function itself, without the policy engine routing the key to the Lambda
        // layer: the gateway's switch sends GETs of keys a connected function holds through that layer.
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(p => p.Name == "gateway"))
            .WithEnvironment("Tunnel__ServeObjectsThroughLambda", "true");

        await using var app = await builder.BuildAsync(cts.Token);
        await app.StartAsync(cts.Token);
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        foreach (var name in new[] { "orchestrator", "lambda-emulator", "gateway" })
        {
            await notifications.WaitForResourceHealthyAsync(name, cts.Token);
        }

        var secret = await app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<ParameterResource>().Single(p => p.Name == "tunnel-secret").GetValueAsync(cts.Token);
        const string key = "100B.txt";
        var payload = new FunctionPayload([key], 2,
            new Uri(app.GetEndpoint("gateway", "http"), TunnelProtocol.ConnectPath).ToString(),
            app.GetEndpoint("orchestrator", "control").ToString(),
            TunnelToken.Mint(Encoding.UTF8.GetBytes(secret!), [key], DateTimeOffset.UtcNow.AddMinutes(5)));

        using var emulator = app.CreateHttpClient("lambda-emulator", "http");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/2015-03-31/functions/reactive-cache-function/invocations")
        {
            Content = JsonContent.Create(payload, FunctionJsonContext.Default.FunctionPayload),
        };
        request.Headers.Add("X-Amz-Invocation-Type", "Event");
        using var invoked = await emulator.SendAsync(request, cts.Token);
        Assert.Equal(HttpStatusCode.Accepted, invoked.StatusCode);

        using var gateway = app.CreateHttpClient("gateway", "http");
        string? origin = null;
        while (origin != "lambda")
        {
            cts.Token.ThrowIfCancellationRequested();
            using var response = await gateway.GetAsync($"/objects/{key}", cts.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            origin = FunctionFixture.Origin(response);
            await Task.Delay(20, cts.Token);
        }

        // The orchestrator's control endpoint speaks gRPC (HTTP/2 prior knowledge) at the address the
        // function is given: a stream opened with a valid token stays open, waiting for commands.
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(app.GetEndpoint("orchestrator", "control"));
        var control = new ReactiveCache.Core.Protos.Function.FunctionControl.FunctionControlClient(channel);
        var probe = new ReactiveCache.Core.Protos.Function.ControlRequest { InvocationId = "probe", Token = payload.Token };
        probe.Keys.Add(key);
        using var call = control.Control(probe, cancellationToken: cts.Token);
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        quiet.CancelAfter(TimeSpan.FromSeconds(2));
        var ex = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => call.ResponseStream.MoveNext(quiet.Token));
        Assert.Equal(Grpc.Core.StatusCode.Cancelled, ex.StatusCode);
    }
}
