using ReactiveCache.LambdaEmulator.Environments;

namespace ReactiveCache.LambdaEmulator.Api;

/// <summary>The emulator's own view of its execution environments (for the dashboard, tests and benches).</summary>
public static class EnvironmentsApi
{
    public static IEndpointRouteBuilder MapEnvironmentsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/emulator/environments", (EnvironmentPool pool) => TypedResults.Ok(pool.Environments
                .OrderBy(e => e.StartedAt)
                .Select(e => new EnvironmentView(e.Id, e.FunctionName, e.ProcessId, e.State.ToString(), e.Invocations, e.StartedAt,
                    e.ColdStart is { } c ? Math.Round(c.TotalMilliseconds, 1) : null))
                .ToList()))
            .WithTags("Emulator")
            .WithName("GetEnvironments")
            .WithSummary("Every execution environment: function, process id, state, invocations served.");
        return app;
    }

    /// <param name="ColdStartMs">Process start → the runtime's first <c>next</c>, in ms.</param>
    public sealed record EnvironmentView(string Id, string Function, int ProcessId, string State, int Invocations, DateTimeOffset StartedAt, double? ColdStartMs);
}
