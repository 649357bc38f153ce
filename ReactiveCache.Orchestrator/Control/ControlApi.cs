using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Objects;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Core.Routing;
using ReactiveCache.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.Costs;
using ReactiveCache.Orchestrator.Engine;
using ReactiveCache.Domain;

namespace ReactiveCache.Orchestrator.Control;

/// <summary>The control API (the thesis had it on :3000 with Swagger).</summary>
public static class ControlApi
{
    public static IHostApplicationBuilder AddControlApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddSingleton<ObjectStates>();
        return builder;
    }

    public static IEndpointRouteBuilder MapControlApi(this IEndpointRouteBuilder app)
    {
        var state = app.MapGroup("/state").WithTags("State");
        state.MapGet("/", (ObjectStates states) => TypedResults.Ok(states.All))
            .WithName("GetState")
            .WithSummary("Every object the orchestrator knows, with its policy state, counters and last requests.");
        state.MapGet("/{**key}", Results<Ok<ObjectStateView>, ProblemHttpResult> (string key, ObjectStates states) =>
                states.Find(key) is { } view
                    ? TypedResults.Ok(view)
                    : Problem(StatusCodes.Status404NotFound, "Unknown object", $"The orchestrator has seen no request for '{key}'."))
            .WithName("GetObjectState")
            .WithSummary("One object's policy state.");

        var node = app.MapGroup("/node").WithTags("Cache node");
        node.MapGet("/", (CacheNodeController controller) => TypedResults.Ok(controller.Status))
            .WithName("GetCacheNode")
            .WithSummary("The cache node's state (Stopped, Booting, Running, Draining, Stopping), endpoint and runs.");
        node.MapPost("/start", (CommandExecutor executor) =>
            {
                executor.Execute(PolicyCommand.StartNode());
                return TypedResults.Accepted("/node");
            })
            .WithName("StartCacheNode")
            .WithSummary("Boots the cache node now (the policy is told when it is ready).");
        node.MapPost("/stop", (CommandExecutor executor) =>
            {
                executor.Execute(PolicyCommand.StopNode());
                return TypedResults.Accepted("/node");
            })
            .WithName("StopCacheNode")
            .WithSummary("Drains every gateway, then stops the cache node (the policy is told when it is stopped).");

        var functions = app.MapGroup("/functions").WithTags("Functions");
        functions.MapPost("/{**key}", Results<Accepted, ProblemHttpResult> (string key, CommandExecutor executor, IOptions<PolicyOptions> policy) =>
            {
                if (ObjectKey.Validate(key) is { } error)
                {
                    return Problem(StatusCodes.Status400BadRequest, "Invalid object key", $"{error.Rule}: {error.Message}");
                }

                executor.Execute(PolicyCommand.InvokeFunction(key, policy.Value.ToParameters().Tick));
                return TypedResults.Accepted($"/state/{key}");
            })
            .WithName("StartFunction")
            .WithSummary("Invokes a function holding the key (its route switches when it is ready).");
        functions.MapDelete("/{**key}", (string key, Functions.IFunctionControl control) =>
            {
                control.Shutdown(key);
                return TypedResults.Accepted($"/state/{key}");
            })
            .WithName("StopFunction")
            .WithSummary("Tells the function holding the key to shut down.");

        app.MapPut("/routes/{**key}", Results<Accepted, ProblemHttpResult> (string key, string? layer, RoutePins pins) =>
            {
                if (ObjectKey.Validate(key) is { } error)
                {
                    return Problem(StatusCodes.Status400BadRequest, "Invalid object key", $"{error.Rule}: {error.Message}");
                }

                if (!CacheLayerNames.TryParse(layer, out var pinned))
                {
                    return Problem(StatusCodes.Status400BadRequest, "Invalid layer", "Give ?layer=s3, lambda or redis.");
                }

                pins.Pin(key, pinned);
                return TypedResults.Accepted($"/state/{key}");
            })
            .WithTags("Routes")
            .WithName("PinRoute")
            .WithSummary("Pins a key to a layer (for measurements): served from it now, and left alone by the policy until the pin is deleted.");
        app.MapDelete("/routes/{**key}", Results<Accepted, ProblemHttpResult> (string key, RoutePins pins) =>
                pins.Unpin(key)
                    ? TypedResults.Accepted($"/state/{key}")
                    : Problem(StatusCodes.Status404NotFound, "Not pinned", $"'{key}' has no pin."))
            .WithTags("Routes")
            .WithName("UnpinRoute")
            .WithSummary("Ends a key's pin: the policy takes the key up again, from S3.");
        app.MapGet("/reconciliation", Results<Ok<ReconciliationView>, NoContent> (Reconciler reconciler) =>
                reconciler.Result is { } result ? TypedResults.Ok(result) : TypedResults.NoContent())
            .WithTags("State")
            .WithName("GetReconciliation")
            .WithSummary("What the orchestrator rebuilt when it started: gateways reported, node adopted, keys kept on it and on functions, and how long it took.");

        app.MapGet("/config", (IOptions<PolicyOptions> policy, CostMeter costs) =>
                TypedResults.Ok(new ActiveConfiguration(policy.Value, policy.Value.ToParameters(), costs.Prices.Name)))
            .WithTags("Configuration")
            .WithName("GetConfiguration")
            .WithSummary("The active policy, its effective parameters and the price table.");
        app.MapGet("/costs", (CostMeter costs) => TypedResults.Ok(costs.Snapshot()))
            .WithTags("Costs")
            .WithName("GetCosts")
            .WithSummary("Costs so far (Lambda ms and invocations, node seconds, S3 GETs) beside ElastiCache and S3 alone.");
        return app;
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
