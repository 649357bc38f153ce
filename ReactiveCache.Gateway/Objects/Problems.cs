using Microsoft.AspNetCore.Http.HttpResults;
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

    public static ProblemHttpResult OriginUnavailable(string key) =>
        TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Object store unavailable",
            detail: $"The store of record did not answer for '{key}'; try again.");
}
