using ReactiveCache.Core.Hosting;
using ReactiveCache.Gateway;
using ReactiveCache.Gateway.Routing;

InlineSocketCompletions.PreferUnlessConfigured(); // first, before any socket

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiDocs();
builder.AddGatewayServices();     // limits, object store, orchestrator link, cache node, layers, Lambda tunnel

var app = builder.Build();

app.UseGatewayMiddleware();       // problems, the request deadline
app.MapDefaultEndpoints();
app.MapApiDocs();
app.MapObjectServing();           // the functions' tunnel and /objects/{key}
app.MapRoutingEndpoints();

app.Run();
