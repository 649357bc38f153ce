using ReactiveCache.AppHost;
using ReactiveCache.Core.Objects;

var builder = DistributedApplication.CreateBuilder(args);

// The local store of record: a folder seeded with the thesis's objects (index.html, 100B, 1KB, 1MB).
var objectsRoot = builder.Configuration["ObjectStore:Root"]
                  ?? Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".objects"));
SampleObjects.SeedFolder(objectsRoot);

// The cache node's Redis AUTH password: generated for each run, never in the repository.
var cacheNodePassword = builder.AddParameter("cache-node-password",
    new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true);

// The HMAC secret of the functions' invocation tokens: minted by the orchestrator, checked by the gateway.
var tunnelSecret = builder.AddParameter("tunnel-secret", new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true);

var orchestrator = builder.AddProject<Projects.ReactiveCache_Orchestrator>("orchestrator")
    .WithObjectStore(objectsRoot)
    .WithLocalCacheNode(cacheNodePassword, bootDelay: builder.Configuration["CacheNode:BootDelay"] ?? "00:00:05")
    .WithGrpcEndpoint()
    .WithEnvironment("Tunnel__Secret", tunnelSecret)
    .WithHttpHealthCheck("/health");

builder.AddCacheNode("cache-node", orchestrator);

// The local Lambda service: starts the function's execution environments as real processes.
var lambdaEmulator = builder.AddProject<Projects.ReactiveCache_LambdaEmulator>("lambda-emulator")
    .WithObjectStore(objectsRoot)
    .WithLambdaFunction(builder)
    .WithHttpHealthCheck("/health");

var gateway = builder.AddProject<Projects.ReactiveCache_Gateway>("gateway")
    .WithObjectStore(objectsRoot)
    .WithReference(orchestrator)
    .WaitFor(orchestrator)
    // gRPC needs the orchestrator's HTTP/2 endpoint (its http one speaks HTTP/1.1 only over cleartext).
    .WithEnvironment("OrchestratorLink__Address", orchestrator.GetEndpoint(FunctionResources.GrpcEndpoint))
    .WithEnvironment("Tunnel__Secret", tunnelSecret)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

orchestrator
    .WithReference(lambdaEmulator)
    .WithEnvironment("Function__Name", FunctionResources.FunctionName)
    .WithEnvironment("Function__GatewayTunnelUrl", ReferenceExpression.Create($"{gateway.GetEndpoint("http")}/tunnel/connect"));

builder.Build().Run();
