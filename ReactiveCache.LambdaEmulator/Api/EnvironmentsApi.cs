using ReactiveCache.LambdaEmulator.Environments;

namespace ReactiveCache.LambdaEmulator.Api;

/// <summary>The emulator's own view of its execution environments (for the dashboard, tests and benches).</summary>
public static class EnvironmentsApi
{
    public static IEndpointRouteBuilder MapEnvironmentsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/emulator/environments", (EnvironmentPool pool) => TypedResults.Ok(pool.Environments
                .OrderBy(e => e.StartedAt)
                .Select(e => new EnvironmentView(e.Id, e.FunctionName, e.ProcessId, e.State.ToString(), e.Invocations, e.StartedAt))
                .ToList()))
            .WithTags("Emulator")
            .WithName("GetEnvironments")
            .WithSummary("Every execution environment: function, process id, state, invocations served.");
        return app;
    }

    public sealed record EnvironmentView(string Id, string Function, int ProcessId, string State, int Invocations, DateTimeOffset StartedAt);
}
