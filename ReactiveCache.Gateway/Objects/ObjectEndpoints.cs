using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using ReactiveCache.Core.Objects;

namespace ReactiveCache.Gateway.Objects;

/// <summary>The client API: <c>GET</c>/<c>HEAD /objects/{**key}</c>.</summary>
public static class ObjectEndpoints
{
    public static IHostApplicationBuilder AddObjectServing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        return builder;
    }

    public static IEndpointRouteBuilder MapObjectEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/objects/{**key}", [HttpMethods.Get, HttpMethods.Head], ServeAsync)
            .WithName("GetObject")
            .WithSummary("Serves an object from the layer the route table names (S3 when none).")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ServeAsync(string key, HttpContext context, IObjectStore store, CancellationToken cancellationToken)
    {
        var isHead = HttpMethods.IsHead(context.Request.Method);
        if (isHead)
        {
            var metadata = await store.GetMetadataAsync(key, cancellationToken);
            if (metadata is null)
            {
                return NotFound(key);
            }

            WriteHeaders(context.Response, metadata, ContentOrigin.S3);
            return TypedResults.Empty;
        }

        var stored = await store.GetAsync(key, cancellationToken: cancellationToken);
        if (stored is null)
        {
            return NotFound(key);
        }

        await using (stored)
        {
            WriteHeaders(context.Response, stored.Metadata, ContentOrigin.S3);
            await stored.Body.CopyToAsync(context.Response.Body, cancellationToken);
        }

        return TypedResults.Empty;
    }

    private static void WriteHeaders(HttpResponse response, ObjectMetadata metadata, string origin)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers[ContentOrigin.HeaderName] = origin;
        response.Headers.ETag = metadata.ETag;
        response.ContentType = metadata.ContentType;
        response.ContentLength = metadata.Length;
        response.Headers.LastModified = metadata.LastModified.ToString("R");
        response.Headers.AcceptRanges = "bytes";
    }

    private static ProblemHttpResult NotFound(string key) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Object not found",
            detail: $"No object has the key '{key}'.");
}
