using Microsoft.Extensions.Configuration;
using ReactiveCache.AppHost;
using ReactiveCache.Core.Objects;

var builder = DistributedApplication.CreateBuilder(args);

// The local store of record: a folder seeded with the thesis's objects (index.html, 100B, 1KB, 1MB).
var objectsRoot = builder.Configuration["ObjectStore:Root"]
                  ?? Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".objects"));
SampleObjects.SeedFolder(objectsRoot);

// Secrets are parameters, generated locally, never in the repository: the cache node's Redis AUTH
// password, and the HMAC secret of the functions' tunnel tokens (minted by the orchestrator, checked by the gateway).
var cacheNodePassword = builder.AddParameter("cache-node-password",
    new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true);
var tunnelSecret = builder.AddParameter("tunnel-secret",
    new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true);

// The orchestrator: policy engine, control API (http) and the gRPC links of gateways and functions (control, HTTP/2).
var orchestrator = builder.AddProject<Projects.ReactiveCache_Orchestrator>("orchestrator")
    .WithObjectStore(objectsRoot)
    .WithControlEndpoint()
    .WithPolicy(builder.Configuration)
    .WithLocalCacheNode(cacheNodePassword, bootDelay: builder.Configuration["CacheNode:BootDelay"] ?? "00:00:05")
    .WithEnvironment("Tunnel__Secret", tunnelSecret)
    .WithHttpHealthCheck("/health");

// The cache node on the dashboard: its state follows the orchestrator, with Start/Stop commands.
builder.AddCacheNode("cache-node", orchestrator);

// The local Lambda service: starts the function's execution environments as real processes.
var lambdaEmulator = builder.AddProject<Projects.ReactiveCache_LambdaEmulator>("lambda-emulator")
    .WithObjectStore(objectsRoot)
    .WithLambdaFunction(builder)
    .WithHttpHealthCheck("/health");

// The client entry point (http://localhost:4000 under the http profile).
var gateway = builder.AddProject<Projects.ReactiveCache_Gateway>("gateway")
    .WithGatewaySettings(objectsRoot, orchestrator, cacheNodePassword, tunnelSecret)
    .WithTunnelEndpoint()
    .WithExternalHttpEndpoints();

// More gateways (Gateways=N in the AppHost's configuration) get the same routes and drains; each on
// a port of its own, and the functions tunnel into each of them.
for (var i = 2; i <= builder.Configuration.GetValue("Gateways", 1); i++)
{
    var more = builder.AddProject<Projects.ReactiveCache_Gateway>($"gateway-{i}", launchProfileName: null)
        .WithHttpEndpoint()
        .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
        .WithGatewaySettings(objectsRoot, orchestrator, cacheNodePassword, tunnelSecret)
        .WithTunnelEndpoint();
    orchestrator.WithEnvironment($"Function__MoreGatewayTunnelUrls__{i - 2}", more.TunnelUrl());
}

orchestrator
    .WithFunctionInvoker(lambdaEmulator, builder)
    .WithEnvironment("Function__GatewayTunnelUrl", gateway.TunnelUrl());

builder.Build().Run();
