using ReactiveCache.Core.Hosting;
using ReactiveCache.Core.Objects;
using ReactiveCache.Gateway.CacheNode;
using ReactiveCache.Gateway.Limits;
using ReactiveCache.Gateway.Objects;
using ReactiveCache.Gateway.Routing;
using ReactiveCache.Gateway.Tunnel;

InlineSocketCompletions.PreferUnlessConfigured(); // first, before any socket

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddInlineSocketScheduling(); // requests run on the thread that read them: no thread-pool hop
builder.AddApiDocs();
builder.AddGatewayLimits();       // Kestrel's limits, the request deadline, the budget for held-back bodies
builder.AddObjectStore();         // S3 (or a folder locally): the store of record
builder.AddOrchestratorLink();    // route table, fed over the gRPC stream; request events back
builder.AddCacheNode();           // the Redis layer's connection, to the node the orchestrator names
builder.AddObjectServing();       // layers, fallback chain redis → lambda → s3, stampede protection
builder.AddLambdaTunnel();         // the Lambda layer: functions dial in, YARP forwards through their tunnels

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestTimeouts();
app.MapDefaultEndpoints();
app.MapApiDocs();
app.MapLambdaTunnel();
app.MapObjectEndpoints();
app.MapRoutingEndpoints();

app.Run();
