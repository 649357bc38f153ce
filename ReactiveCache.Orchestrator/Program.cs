using ReactiveCache.Core.Objects;
using ReactiveCache.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.Control;
using ReactiveCache.Orchestrator.Engine;
using ReactiveCache.Orchestrator.Functions;
using ReactiveCache.Orchestrator.Gateways;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiDocs();
builder.AddObjectStore();
builder.AddCacheNode();
builder.AddControlApi();
builder.AddFunctions();
builder.AddGatewayLinks();
builder.AddPolicyEngine();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapApiDocs();
app.MapControlApi();
app.MapFunctions();
app.MapGatewayLinks();

app.Run();
