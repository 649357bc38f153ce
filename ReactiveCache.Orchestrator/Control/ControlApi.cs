using Microsoft.AspNetCore.Http.HttpResults;
using ReactiveCache.Orchestrator.CacheNode;

namespace ReactiveCache.Orchestrator.Control;

/// <summary>The control API (the thesis had it on :3000 with Swagger).</summary>
public static class ControlApi
{
    public static IHostApplicationBuilder AddControlApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<ObjectStates>();
        builder.Services.AddSingleton<CacheNodeController>();
        return builder;
    }

    public static IEndpointRouteBuilder MapControlApi(this IEndpointRouteBuilder app)
    {
        var state = app.MapGroup("/state").WithTags("State");
        state.MapGet("/", (ObjectStates states) => TypedResults.Ok(states.All))
            .WithName("GetState")
            .WithSummary("Every object the orchestrator knows, with its policy state.");
        state.MapGet("/{**key}", Results<Ok<ObjectStateView>, ProblemHttpResult> (string key, ObjectStates states) =>
                states.Find(key) is { } view
                    ? TypedResults.Ok(view)
                    : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown object",
                        detail: $"The orchestrator has seen no request for '{key}'."))
            .WithName("GetObjectState")
            .WithSummary("One object's policy state.");

        var node = app.MapGroup("/node").WithTags("Cache node");
        node.MapGet("/", (CacheNodeController controller) => TypedResults.Ok(controller.Status))
            .WithName("GetCacheNode")
            .WithSummary("The cache node's state (Stopped, Booting, Running, Draining, Stopping), endpoint and runs.");
        return app;
    }
}
