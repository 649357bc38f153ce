using ReactiveCache.Core.Objects;
using ReactiveCache.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.Control;
using ReactiveCache.Orchestrator.Functions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiDocs();
builder.AddObjectStore();
builder.AddCacheNode();
builder.AddControlApi();
builder.AddFunctions();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapApiDocs();
app.MapControlApi();
app.MapFunctions();

app.Run();
