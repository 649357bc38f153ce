using System.Diagnostics;
using ReactiveCache.LambdaEmulator.Environments;

namespace ReactiveCache.LambdaEmulator.Api;

/// <summary>
/// Lambda's Runtime API for the emulator's function processes, one per environment under
/// <c>/runtime-api/{environmentId}/{secret}/2018-06-01/runtime/…</c> (the environment's <c>AWS_LAMBDA_RUNTIME_API</c>
/// carries the prefix; the secret is the environment's own, so no other process can take or answer its
/// invocations): <c>invocation/next</c>, <c>invocation/{id}/response</c>, <c>invocation/{id}/error</c>,
/// <c>init/error</c>. A wrong secret is answered as an unknown environment.
/// </summary>
public static class RuntimeApi
{
    public static IEndpointRouteBuilder MapRuntimeApi(this IEndpointRouteBuilder app)
    {
        var runtime = app.MapGroup($"{EnvironmentPool.RuntimeApiPrefix}/{{environmentId}}/{{secret}}/2018-06-01/runtime")
            .WithTags("Runtime")
            .ExcludeFromDescription();
        runtime.MapGet("/invocation/next", NextAsync);
        runtime.MapPost("/invocation/{requestId}/response", ResponseAsync);
        runtime.MapPost("/invocation/{requestId}/error", ErrorAsync);
        runtime.MapPost("/init/error", InitErrorAsync);
        return app;
    }

    private static async Task<IResult> NextAsync(string environmentId, string secret, HttpContext context, EnvironmentPool pool)
    {
        if (pool.FindRuntime(environmentId, secret) is not { } environment || environment.State == EnvironmentState.Dead)
        {
            return UnknownEnvironment(environmentId);
        }

        var wasReady = environment.Ready.IsCompleted;
        PendingInvocation invocation;
        try
        {
            invocation = await environment.NextAsync(context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return TypedResults.Empty;
        }

        if (wasReady)
        {
            // A warm start: from the invoke to the runtime receiving the event.
            using var warm = EmulatorTelemetry.Start("warm start", ActivityKind.Internal, invocation.Parent, invocation.CreatedAt);
            warm?.SetTag("faas.instance", environment.Id);
            warm?.SetTag("faas.coldstart", false);
            EmulatorTelemetry.StartedUp(DateTimeOffset.UtcNow - invocation.CreatedAt, cold: false);
        }

        var headers = context.Response.Headers;
        headers["Lambda-Runtime-Aws-Request-Id"] = invocation.RequestId;
        headers["Lambda-Runtime-Deadline-Ms"] = invocation.Deadline.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Invoked-Function-Arn"] = $"arn:aws:lambda:local:000000000000:function:{environment.FunctionName}";
        if (invocation.Parent != default)
        {
            headers["Lambda-Runtime-Trace-Id"] = $"Root={invocation.Parent.TraceId};Parent={invocation.Parent.SpanId};Sampled=1";
        }

        return TypedResults.Bytes(invocation.Payload, "application/json");
    }

    private static async Task<IResult> ResponseAsync(string environmentId, string secret, string requestId, HttpContext context, EnvironmentPool pool) =>
        await CompleteAsync(environmentId, secret, requestId, context, pool, errorType: null);

    private static async Task<IResult> ErrorAsync(string environmentId, string secret, string requestId, HttpContext context, EnvironmentPool pool) =>
        await CompleteAsync(environmentId, secret, requestId, context, pool,
            errorType: context.Request.Headers["Lambda-Runtime-Function-Error-Type"].FirstOrDefault() is { Length: > 0 } t ? t : "Unhandled");

    private static async Task<IResult> InitErrorAsync(string environmentId, string secret, HttpContext context, EnvironmentPool pool)
    {
        if (pool.FindRuntime(environmentId, secret) is not { } environment)
        {
            return UnknownEnvironment(environmentId);
        }

        var body = await ReadAsync(context);
        var type = context.Request.Headers["Lambda-Runtime-Function-Error-Type"].FirstOrDefault() ?? "Runtime.InitError";
        environment.Kill(type, $"The runtime failed to start: {System.Text.Encoding.UTF8.GetString(body)}");
        return TypedResults.Accepted((string?)null, new StatusDocument("OK"));
    }

    private static async Task<IResult> CompleteAsync(string environmentId, string secret, string requestId, HttpContext context, EnvironmentPool pool, string? errorType)
    {
        if (pool.FindRuntime(environmentId, secret) is not { } environment)
        {
            return UnknownEnvironment(environmentId);
        }

        var body = await ReadAsync(context);
        if (!environment.Complete(requestId, new InvocationResult(body, errorType)))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "InvalidRequestID",
                detail: $"{requestId} is not the invocation environment {environmentId} is running.");
        }

        return TypedResults.Accepted((string?)null, new StatusDocument("OK"));
    }

    private static async Task<byte[]> ReadAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        return buffer.ToArray();
    }

    private static IResult UnknownEnvironment(string environmentId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown environment",
            detail: $"No live execution environment {environmentId}.");

    private sealed record StatusDocument(string Status);
}
