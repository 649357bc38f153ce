using ReactiveCache.Core.Objects;
using ReactiveCache.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.Control;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiDocs();
builder.AddObjectStore();
builder.AddCacheNode();
builder.AddControlApi();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapApiDocs();
app.MapControlApi();

app.Run();
