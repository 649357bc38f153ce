using ReactiveCache.AppHost;
using ReactiveCache.Core.Objects;

var builder = DistributedApplication.CreateBuilder(args);

// The local store of record: a folder seeded with the thesis's objects (index.html, 100B, 1KB, 1MB).
var objectsRoot = builder.Configuration["ObjectStore:Root"]
                  ?? Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".objects"));
SampleObjects.SeedFolder(objectsRoot);

var orchestrator = builder.AddProject<Projects.ReactiveCache_Orchestrator>("orchestrator")
    .WithObjectStore(objectsRoot)
    .WithHttpHealthCheck("/health");

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
