using ReactiveCache.Core.Objects;
using ReactiveCache.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.Control;
using ReactiveCache.Orchestrator.Engine;
using ReactiveCache.Orchestrator.Functions;
using ReactiveCache.Orchestrator.Gateways;
using ReactiveCache.Orchestrator.Invalidation;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiDocs();
builder.AddObjectStore();      // the store of record, for loading the cache node
builder.AddCacheNode();        // local Garnet process or EC2 instance
builder.AddFunctions();        // invoker (emulator or AWS), tunnel tokens, function control streams
builder.AddGatewayLinks();     // one gRPC stream per gateway: routes, node, drains out; events in
builder.AddPolicyEngine();     // the configured policy, run live; cost meter
builder.AddControlApi();       // state, node, functions, configuration, costs; its key, port and origin checks
builder.AddInvalidation();     // S3 change events (and the local folder's) drop stale copies; max-age revalidation

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseControlApiAccess();     // the control API's key, its own port, no other site's pages
app.MapDefaultEndpoints();
app.MapApiDocs();
app.MapControlApi();
app.MapInvalidation();
app.MapFunctions();
app.MapGatewayLinks();

app.Run();
