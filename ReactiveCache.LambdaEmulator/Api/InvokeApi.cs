using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Aws;
using ReactiveCache.Core.Functions;
using ReactiveCache.LambdaEmulator.Environments;

namespace ReactiveCache.LambdaEmulator.Api;

/// <summary>
/// Lambda's Invoke API: <c>POST /2015-03-31/functions/{name}/invocations</c> with
/// <c>X-Amz-Invocation-Type</c> <c>RequestResponse</c> (default: wait, 200 with the function's answer,
/// <c>X-Amz-Function-Error</c> when it failed), <c>Event</c> (202 at once) or <c>DryRun</c> (204).
/// Unknown function → 404. Every call must be SigV4-signed with the configured key pair (as AWS requires): else 403
/// <c>InvalidSignatureException</c>. The emulator adds which environment ran it (<c>X-Emulator-*</c>).
/// </summary>
public static class InvokeApi
{
    public const string EnvironmentHeader = "X-Emulator-Environment";
    public const string ProcessIdHeader = "X-Emulator-Process-Id";
    public const string ColdStartHeader = "X-Emulator-Cold-Start";

    public static IEndpointRouteBuilder MapInvokeApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/2015-03-31/functions/{name}/invocations", InvokeAsync)
            .WithTags("Invoke")
            .WithName("Invoke")
            .WithSummary("Invokes a function (Lambda's Invoke API).")
            .Produces(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<IResult> InvokeAsync(string name, HttpContext context, EnvironmentPool pool, IOptionsMonitor<EmulatorOptions> options,
        TimeProvider time, ILoggerFactory loggers)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        // As AWS: nothing is looked at before the signature (SigV4, with the key pair the AppHost generated) is checked.
        var o = options.CurrentValue;
        var refusal = o.AccessKey is { Length: > 0 } accessKey && o.SecretKey is { Length: > 0 } secretKey
            ? SigV4Verifier.Verify(context.Request, buffer.GetBuffer().AsSpan(0, (int)buffer.Length), new SigV4Credentials(accessKey, secretKey),
                LambdaInvokeApi.EmulatorRegion, LambdaInvokeApi.Service, time.GetUtcNow())
            : "This emulator has no Emulator:AccessKey and Emulator:SecretKey: it accepts no Invoke.";
        if (refusal is not null)
        {
            return Problem(context, StatusCodes.Status403Forbidden, "InvalidSignatureException", refusal);
        }

        var type = context.Request.Headers["X-Amz-Invocation-Type"].ToString();
        if (type.Length == 0)
        {
            type = "RequestResponse";
        }

        if (type is not ("RequestResponse" or "Event" or "DryRun"))
        {
            return Problem(context, StatusCodes.Status400BadRequest, "InvalidParameterValueException",
                $"X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, not '{type}'.");
        }

        if (!pool.IsKnown(name))
        {
            return Problem(context, StatusCodes.Status404NotFound, "ResourceNotFoundException", $"Function not found: {name}");
        }

        var payload = buffer.Length == 0 ? "{}"u8.ToArray() : buffer.ToArray();
        if (!IsJson(payload))
        {
            return Problem(context, StatusCodes.Status400BadRequest, "InvalidRequestContentException", "Could not parse request body into json.");
        }

        if (type == "DryRun")
        {
            return TypedResults.NoContent();
        }

        using var activity = EmulatorTelemetry.Start("invoke", ActivityKind.Server);
        activity?.SetTag("faas.name", name);
        activity?.SetTag("faas.invocation_type", type);
        PendingInvocation invocation;
        ExecutionEnvironment environment;
        bool cold;
        try
        {
            (invocation, environment, cold) = pool.Invoke(name, payload, activity?.Context ?? default);
        }
        catch (TooManyRequestsException e)
        {
            return Problem(context, StatusCodes.Status429TooManyRequests, "TooManyRequestsException", e.Message);
        }

        activity?.SetTag("faas.coldstart", cold);
        activity?.SetTag("faas.instance", environment.Id);
        activity?.SetTag("faas.invocation_id", invocation.RequestId);
        context.Response.Headers[EnvironmentHeader] = environment.Id;
        context.Response.Headers[ProcessIdHeader] = environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers[ColdStartHeader] = cold ? "true" : "false";
        context.Response.Headers["X-Amz-Executed-Version"] = "$LATEST";
        context.Response.Headers["X-Amzn-RequestId"] = invocation.RequestId;

        if (type == "Event")
        {
            var logger = loggers.CreateLogger(typeof(InvokeApi));
            _ = invocation.Result.ContinueWith(t =>
            {
                if (t.Result.IsError)
                {
                    logger.LogWarning("Event invocation {Invocation} of {Function} failed: {Error}", invocation.RequestId, name,
                        System.Text.Encoding.UTF8.GetString(t.Result.Body));
                }
            }, TaskScheduler.Default);
            return TypedResults.StatusCode(StatusCodes.Status202Accepted);
        }

        // RequestResponse: the caller waits for the end of the function's life (the thesis invoked so).
        var result = await invocation.Result;
        if (result.IsError)
        {
            context.Response.Headers["X-Amz-Function-Error"] = "Unhandled";
            activity?.SetStatus(ActivityStatusCode.Error, result.ErrorType);
        }

        return TypedResults.Bytes(result.Body, "application/json");
    }

    private static bool IsJson(byte[] payload)
    {
        try
        {
            using var _ = JsonDocument.Parse(payload);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A problem+json answer that also names Lambda's error type, as its clients expect.</summary>
    private static IResult Problem(HttpContext context, int status, string errorType, string detail)
    {
        context.Response.Headers["X-Amzn-ErrorType"] = errorType;
        return TypedResults.Problem(statusCode: status, title: errorType, detail: detail);
    }
}
