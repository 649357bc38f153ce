using ReactiveCache.Core.Objects;
using ReactiveCache.Gateway.Objects;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiDocs();
builder.AddObjectStore();
builder.AddObjectServing();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapApiDocs();
app.MapObjectEndpoints();

app.Run();
