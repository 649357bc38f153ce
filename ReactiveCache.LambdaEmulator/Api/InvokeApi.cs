using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Aws;
using ReactiveCache.LambdaEmulator.Environments;

namespace ReactiveCache.LambdaEmulator.Api;

/// <summary>
/// Lambda's Invoke API: <c>POST /2015-03-31/functions/{name}/invocations</c> with
/// <c>X-Amz-Invocation-Type</c> <c>RequestResponse</c> (default: wait, 200 with the function's answer,
/// <c>X-Amz-Function-Error</c> when it failed), <c>Event</c> (202 at once) or <c>DryRun</c> (204).
/// Unknown function → 404. With <c>Emulator:AccessKeyId</c> and <c>Emulator:SecretAccessKey</c> set, a request
/// not SigV4-signed with that pair is refused first with 403, as Lambda does. The emulator adds which
/// environment ran it (<c>X-Emulator-*</c>).
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

    private static async Task<IResult> InvokeAsync(string name, HttpContext context, EnvironmentPool pool, ILoggerFactory loggers,
        IOptions<EmulatorOptions> options, TimeProvider time)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (options.Value.SigningCredentials is { } credentials && Refused(context, buffer.ToArray(), credentials, time) is { } rejection)
        {
            return Problem(context, StatusCodes.Status403Forbidden, rejection.ErrorType, rejection.Message);
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

    /// <summary>Null when the request carries a valid SigV4 signature of <paramref name="credentials"/>.</summary>
    private static SigV4Rejection? Refused(HttpContext context, byte[] body, SigV4Credentials credentials, TimeProvider time)
    {
        // The target as sent (percent-encoded, with its query): what the client signed.
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value + context.Request.QueryString;
        var query = target.IndexOf('?');
        var headers = context.Request.Headers;
        return SigV4Signer.Verify(context.Request.Method, query < 0 ? target : target[..query], query < 0 ? "" : target[query..],
            name => headers.TryGetValue(name, out var values) ? values.ToString() : null, body, credentials, time.GetUtcNow());
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
