var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiDocs();
builder.Services.AddProblemDetails();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapApiDocs();

app.Run();
