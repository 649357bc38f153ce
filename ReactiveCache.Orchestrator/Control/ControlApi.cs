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
using ReactiveCache.Orchestrator.Functions;
using ReactiveCache.Orchestrator.Gateways;
using ReactiveCache.Domain;

namespace ReactiveCache.Orchestrator.Control;

/// <summary>
/// The control API (the thesis had it on :3000 with Swagger). Every endpoint needs the operator's key (reads also
/// take the read key): see <see cref="ControlApiAccess"/>.
/// </summary>
public static class ControlApi
{
    /// <summary>Objects per page of <c>GET /state</c>, by default and at most.</summary>
    public const int DefaultPageSize = 100;

    public const int MaxPageSize = 1000;

    public static IHostApplicationBuilder AddControlApi(this IHostApplicationBuilder builder)
    {
        builder.AddControlApiAccess();
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddSingleton<ObjectStates>();
        return builder;
    }

    public static IEndpointRouteBuilder MapControlApi(this IEndpointRouteBuilder app)
    {
        var state = app.MapGroup("/state").WithTags("State").RequireAuthorization(ControlApiAccess.ReadPolicy);
        state.MapGet("/", Results<Ok<StatePage>, ProblemHttpResult> (string? after, int? limit, ObjectStates states, FunctionLauncher functions,
                GatewaySessions gateways, FunctionControlHub control, ObjectSizes sizes) =>
            {
                if (limit is < 1 or > MaxPageSize)
                {
                    return Problem(StatusCodes.Status400BadRequest, "Invalid limit", $"Give ?limit= from 1 to {MaxPageSize}.");
                }

                var size = limit ?? DefaultPageSize;
                var page = states.Page(after, size).Select(sizes.Annotate).ToList();
                return TypedResults.Ok(new StatePage(page, page.Count == size ? page[^1].Key : null, states.Count, states.Forgotten,
                    new FunctionsView(functions.Running, functions.MaxConcurrent, functions.Started, functions.Refused),
                    new DropsView(gateways.EventsDropped, gateways.OverflowedSessions, gateways.RefusedLinks, control.Dropped)));
            })
            .WithName("GetState")
            .WithSummary("A page of the objects the orchestrator tracks (?after=key&limit=n), with the function cap and what was dropped or refused.");
        state.MapGet("/{**key}", Results<Ok<ObjectStateView>, ProblemHttpResult> (string key, ObjectStates states, ObjectSizes sizes) =>
                states.Find(key) is { } view
                    ? TypedResults.Ok(sizes.Annotate(view))
                    : Problem(StatusCodes.Status404NotFound, "Unknown object", $"The orchestrator has seen no request for '{key}'."))
            .WithName("GetObjectState")
            .WithSummary("One object's policy state.");

        var node = app.MapGroup("/node").WithTags("Cache node").RequireAuthorization(ControlApiAccess.ReadPolicy);
        node.MapGet("/", (CacheNodeController controller) => TypedResults.Ok(controller.Status))
            .WithName("GetCacheNode")
            .WithSummary("The cache node's state (Stopped, Booting, Running, Draining, Stopping), endpoint and runs.");
        node.MapGet("/events", (CacheNodeController controller, CancellationToken cancellationToken) =>
                TypedResults.ServerSentEvents(controller.WatchAsync(cancellationToken), eventType: "status"))
            .WithName("WatchCacheNode")
            .WithSummary("The cache node's status now and after every change, as server-sent events (what the dashboard follows).");
        node.MapPost("/start", (CommandExecutor executor) =>
            {
                executor.Execute(PolicyCommand.StartNode());
                return TypedResults.Accepted("/node");
            })
            .RequireAuthorization(ControlApiAccess.OperatePolicy)
            .WithName("StartCacheNode")
            .WithSummary("Boots the cache node now (the policy is told when it is ready).");
        node.MapPost("/stop", (CommandExecutor executor) =>
            {
                executor.Execute(PolicyCommand.StopNode());
                return TypedResults.Accepted("/node");
            })
            .RequireAuthorization(ControlApiAccess.OperatePolicy)
            .WithName("StopCacheNode")
            .WithSummary("Drains every gateway, then stops the cache node (the policy is told when it is stopped).");

        var functions = app.MapGroup("/functions").WithTags("Functions").RequireAuthorization(ControlApiAccess.OperatePolicy);
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
        functions.MapDelete("/{**key}", Results<Accepted, ProblemHttpResult> (string key, IFunctionControl control) =>
            {
                if (ObjectKey.Validate(key) is { } error)
                {
                    return Problem(StatusCodes.Status400BadRequest, "Invalid object key", $"{error.Rule}: {error.Message}");
                }

                control.Shutdown(key);
                return TypedResults.Accepted($"/state/{key}");
            })
            .WithName("StopFunction")
            .WithSummary("Tells the function holding the key to shut down.");

        app.MapPut("/routes/{**key}", async Task<Results<Accepted, ProblemHttpResult>> (string key, string? layer, RoutePins pins, ObjectSizes sizes,
                CancellationToken cancellationToken) =>
            {
                if (ObjectKey.Validate(key) is { } error)
                {
                    return Problem(StatusCodes.Status400BadRequest, "Invalid object key", $"{error.Rule}: {error.Message}");
                }

                if (!CacheLayerNames.TryParse(layer, out var pinned))
                {
                    return Problem(StatusCodes.Status400BadRequest, "Invalid layer", "Give ?layer=s3, lambda or redis.");
                }

                if (pinned != CacheLayer.S3)
                {
                    try
                    {
                        await sizes.EnsureFitsAsync(key, pinned, cancellationToken);
                    }
                    catch (ObjectTooLargeException tooLarge)
                    {
                        return Problem(StatusCodes.Status409Conflict, "Too large for the layer", tooLarge.Message);
                    }
                    catch (ObjectStoreException failure)
                    {
                        return Problem(StatusCodes.Status502BadGateway, "Cannot read the object's size", failure.Message);
                    }
                }

                pins.Pin(key, pinned);
                return TypedResults.Accepted($"/state/{key}");
            })
            .RequireAuthorization(ControlApiAccess.OperatePolicy)
            .WithTags("Routes")
            .WithName("PinRoute")
            .WithSummary("Pins a key to a layer (for measurements): served from it now, and left alone by the policy until the pin is deleted.");
        app.MapDelete("/routes/{**key}", Results<Accepted, ProblemHttpResult> (string key, RoutePins pins) =>
                pins.Unpin(key)
                    ? TypedResults.Accepted($"/state/{key}")
                    : Problem(StatusCodes.Status404NotFound, "Not pinned", $"'{key}' has no pin."))
            .RequireAuthorization(ControlApiAccess.OperatePolicy)
            .WithTags("Routes")
            .WithName("UnpinRoute")
            .WithSummary("Ends a key's pin: the policy takes the key up again, from S3.");
        app.MapGet("/reconciliation", Results<Ok<ReconciliationView>, NoContent> (Reconciler reconciler) =>
                reconciler.Result is { } result ? TypedResults.Ok(result) : TypedResults.NoContent())
            .RequireAuthorization(ControlApiAccess.ReadPolicy)
            .WithTags("State")
            .WithName("GetReconciliation")
            .WithSummary("What the orchestrator rebuilt when it started: gateways reported, node adopted, keys kept on it and on functions, and how long it took.");

        app.MapGet("/config", (IOptions<PolicyOptions> policy, CostMeter costs) =>
                TypedResults.Ok(new ActiveConfiguration(policy.Value, policy.Value.ToParameters(), costs.Prices.Name)))
            .RequireAuthorization(ControlApiAccess.ReadPolicy)
            .WithTags("Configuration")
            .WithName("GetConfiguration")
            .WithSummary("The active policy, its effective parameters and the price table.");
        app.MapGet("/costs", (CostMeter costs) => TypedResults.Ok(costs.Snapshot()))
            .RequireAuthorization(ControlApiAccess.ReadPolicy)
            .WithTags("Costs")
            .WithName("GetCosts")
            .WithSummary("Costs so far (Lambda ms and invocations, node seconds, S3 GETs) beside ElastiCache and S3 alone.");
        return app;
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
