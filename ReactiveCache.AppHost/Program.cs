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

var orchestrator = builder.AddProject<Projects.ReactiveCache_Orchestrator>("orchestrator")
    .WithObjectStore(objectsRoot)
    .WithLocalCacheNode(cacheNodePassword, bootDelay: builder.Configuration["CacheNode:BootDelay"] ?? "00:00:05")
    .WithHttpHealthCheck("/health");

builder.AddCacheNode("cache-node", orchestrator);

var lambdaEmulator = builder.AddProject<Projects.ReactiveCache_LambdaEmulator>("lambda-emulator")
    .WithObjectStore(objectsRoot)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.ReactiveCache_Gateway>("gateway")
    .WithObjectStore(objectsRoot)
    .WithReference(orchestrator)
    .WaitFor(orchestrator)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

builder.Build().Run();
