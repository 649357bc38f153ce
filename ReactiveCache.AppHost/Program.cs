using Microsoft.Extensions.Configuration;
using ReactiveCache.AppHost;
using ReactiveCache.Core.Objects;

var builder = DistributedApplication.CreateBuilder(args);

// The local store of record: a folder seeded with the thesis's objects (index.html, 100B, 1KB, 1MB).
var objectsRoot = builder.Configuration["ObjectStore:Root"]
                  ?? Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".objects"));
SampleObjects.SeedFolder(objectsRoot);

// Secrets are parameters, generated locally, never in the repository: the cache node's two passwords (the gateways'
// read-only user and the orchestrator's loader, which also starts the node with both users), the HMAC secret of the functions' tunnel tokens (minted by the orchestrator, checked by the gateways), the link secret
// gateways and orchestrator prove to each other, the control API's key (persisted in the AppHost's user secrets, so
// that a person can read it for curl: README), and the key pair the orchestrator signs its Invoke calls with.
var cacheNodeReaderPassword = builder.AddParameter("cache-node-reader-password",
    new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true);
var cacheNodeWriterPassword = builder.AddParameter("cache-node-writer-password",
    new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true);
var tunnelSecret = builder.AddParameter("tunnel-secret",
    new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true);
var linkSecret = builder.AddParameter("gateway-link-secret",
    new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true);
var controlApiKey = builder.AddParameter("control-api-key",
    new GenerateParameterDefault { MinLength = 40, Special = false }, secret: true, persist: true);
var emulatorKeys = (
    AccessKey: builder.AddParameter("emulator-access-key", new GenerateParameterDefault { MinLength = 20, Lower = false, Special = false }),
    SecretKey: builder.AddParameter("emulator-secret-key", new GenerateParameterDefault { MinLength = 40, Special = false }, secret: true));

// The orchestrator: policy engine, control API (http, with its key) and the gRPC links of gateways and functions (links, HTTP/2).
var orchestrator = builder.AddProject<Projects.ReactiveCache_Orchestrator>("orchestrator")
    .WithObjectStore(objectsRoot)
    .WithLinksEndpoint()
    .WithControlApiKey(controlApiKey)
    .WithPolicy(builder.Configuration)
    .WithLocalCacheNode(cacheNodeWriterPassword, cacheNodeReaderPassword, bootDelay: builder.Configuration["CacheNode:BootDelay"] ?? "00:00:05",
        stateDirectory: builder.Configuration["CacheNode:StateDirectory"])
    .WithEnvironment("Tunnel__Secret", tunnelSecret)
    .WithEnvironment("GatewayLink__Secret", linkSecret)
    .WithEnvironment("Function__EmulatorAccessKey", emulatorKeys.AccessKey)
    .WithEnvironment("Function__EmulatorSecretKey", emulatorKeys.SecretKey)
    .WithHttpHealthCheck("/health");

// The cache node on the dashboard: its state follows the orchestrator, with Start/Stop commands (they carry the key).
builder.AddCacheNode("cache-node", orchestrator, controlApiKey);

// The local Lambda service: starts the function's execution environments as real processes; Invoke calls must be
// signed with the generated key pair.
var lambdaEmulator = builder.AddProject<Projects.ReactiveCache_LambdaEmulator>("lambda-emulator")
    .WithObjectStore(objectsRoot)
    .WithLambdaFunction(builder)
    .WithEnvironment("Emulator__AccessKey", emulatorKeys.AccessKey)
    .WithEnvironment("Emulator__SecretKey", emulatorKeys.SecretKey)
    .WithEnvironment("Function__AllowedOrchestratorUrls__0", orchestrator.GetEndpoint(FunctionResources.LinksEndpointName))
    .WithHttpHealthCheck("/health");

// The client entry point (http://localhost:4000 under the http profile).
var gateway = builder.AddProject<Projects.ReactiveCache_Gateway>("gateway")
    .WithGatewaySettings(objectsRoot, orchestrator, cacheNodeReaderPassword, tunnelSecret, linkSecret)
    .WithTunnelEndpoint()
    .WithExternalHttpEndpoints();
lambdaEmulator.WithEnvironment("Function__AllowedGatewayUrls__0", gateway.TunnelUrl());

// More gateways (Gateways=N in the AppHost's configuration) get the same routes and drains; each on
// a port of its own, and the functions tunnel into each of them.
for (var i = 2; i <= builder.Configuration.GetValue("Gateways", 1); i++)
{
    var more = builder.AddProject<Projects.ReactiveCache_Gateway>($"gateway-{i}", launchProfileName: null)
        .WithHttpEndpoint()
        .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
        .WithGatewaySettings(objectsRoot, orchestrator, cacheNodeReaderPassword, tunnelSecret, linkSecret)
        .WithTunnelEndpoint();
    orchestrator.WithEnvironment($"Function__MoreGatewayTunnelUrls__{i - 2}", more.TunnelUrl());
    lambdaEmulator.WithEnvironment($"Function__AllowedGatewayUrls__{i - 1}", more.TunnelUrl());
}

orchestrator
    .WithFunctionInvoker(lambdaEmulator, builder, emulatorKeys)
    .WithEnvironment("Function__GatewayTunnelUrl", gateway.TunnelUrl());

builder.Build().Run();
