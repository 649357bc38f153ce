using Microsoft.AspNetCore.Http.HttpResults;
using Polly.RateLimiting;
using Polly.Timeout;
using ReactiveCache.Core.Objects;

namespace ReactiveCache.Gateway.Objects;

/// <summary>The problem+json answers of the object API.</summary>
public static class Problems
{
    public static ProblemHttpResult InvalidKey(ObjectKeyViolation violation) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid object key",
            detail: violation.Message, type: "https://reactivecache.dev/problems/" + violation.Rule,
            extensions: new Dictionary<string, object?> { ["rule"] = violation.Rule });

    public static ProblemHttpResult NotFound(string key) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Object not found",
            detail: $"No object has the key '{key}'.");

    public static ProblemHttpResult RangeNotSatisfiable(ObjectMetadata metadata) =>
        TypedResults.Problem(statusCode: StatusCodes.Status416RangeNotSatisfiable, title: "Range not satisfiable",
            detail: $"The object has {metadata.Length} bytes; the requested range selects none of them.");

    public static ProblemHttpResult PreconditionFailed(ObjectMetadata metadata) =>
        TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed",
            detail: $"The object '{metadata.Key}' is now version {metadata.ETag}, not the one If-Match names; read it again from the start.");

    public static ProblemHttpResult RequestDeadline(int deadlineMs) =>
        TypedResults.Problem(statusCode: StatusCodes.Status504GatewayTimeout, title: "Request deadline passed",
            detail: $"No layer answered within {deadlineMs} ms; try again.", type: "https://reactivecache.dev/problems/request-deadline");

    /// <summary>
    /// The answer to a failed call to the store of record. S3 failing (5xx, throttling, unreachable) is a 502;
    /// S3 refusing the gateway's own credentials (AccessDenied) is a 502 too, with its own type: the client's
    /// request was fine and asking again with other credentials would not help it, so a 403 would blame the
    /// wrong party (and S3 also answers 403 for a missing key when we may not list the bucket). Past the
    /// deadline a 504; too many fetches waiting a 503 (the caller adds <c>Retry-After</c>).
    /// </summary>
    public static ProblemHttpResult ForOriginFailure(string key, Exception failure) => failure switch
    {
        TimeoutRejectedException or ObjectStoreException { Failure: ObjectStoreFailure.Timeout } =>
            OriginProblem(StatusCodes.Status504GatewayTimeout, "origin-timeout", "Object store timed out",
                $"The store of record did not answer for '{key}' in time; try again."),
        RateLimiterRejectedException =>
            OriginProblem(StatusCodes.Status503ServiceUnavailable, "origin-busy", "Object store busy",
                $"Too many requests are waiting for the store of record; try '{key}' again after the Retry-After delay."),
        ObjectStoreException { Failure: ObjectStoreFailure.AccessDenied } =>
            OriginProblem(StatusCodes.Status502BadGateway, "origin-access-denied", "Object store denied access",
                $"The store of record refused the gateway's credentials for '{key}'; this is a setup error of the service, not of the request."),
        ObjectStoreException { Failure: ObjectStoreFailure.Rejected } =>
            OriginProblem(StatusCodes.Status502BadGateway, "origin-rejected", "Object store rejected the request",
                $"The store of record rejected the gateway's request for '{key}'; this is a setup error of the service, not of the request."),
        _ =>
            OriginProblem(StatusCodes.Status502BadGateway, "origin-unavailable", "Object store unavailable",
                $"The store of record failed for '{key}'; try again."),
    };

    private static ProblemHttpResult OriginProblem(int status, string rule, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail, type: "https://reactivecache.dev/problems/" + rule);
}
