using ReactiveCache.Core.Objects;
using ReactiveCache.Gateway.Objects;
using ReactiveCache.Gateway.Tunnel;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiDocs();
builder.AddObjectStore();
builder.AddObjectServing();
builder.AddLambdaTunnel();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapApiDocs();
app.MapLambdaTunnel();
app.MapObjectEndpoints();

app.Run();
