using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ReactiveCache.Orchestrator.Control;

namespace ReactiveCache.Orchestrator.Invalidation;

/// <summary>
/// <c>POST /invalidations</c>: S3's event notifications (direct, through SNS or SQS, or from EventBridge), with the
/// operator's key (<c>Authorization: Bearer</c>, <c>X-Api-Key</c>, or as the password of Basic authentication, which
/// is what an SNS HTTPS subscription can send). Each written or removed object is invalidated on every layer.
/// </summary>
public static class InvalidationApi
{
    public const string Path = "/invalidations";

    public static IHostApplicationBuilder AddInvalidation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<InvalidationOptions>()
            .BindConfiguration(InvalidationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ObjectInvalidator>();
        builder.Services.AddSingleton<S3NotificationHandler>();
        // Only ever SNS's confirmation endpoint (SnsSubscription checks the URL), with a short deadline.
        builder.Services.AddHttpClient(nameof(SnsSubscription), http => http.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<SnsSubscription>();
        builder.Services.AddHostedService<FolderChangeFeed>();
        builder.AddSqsChangeFeed();
        builder.Services.AddHostedService<CopyRevalidator>();
        return builder;
    }

    public static IEndpointRouteBuilder MapInvalidation(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, async Task<Results<Accepted<InvalidationResult>, ProblemHttpResult>> (HttpRequest request, S3NotificationHandler handler,
                IOptions<InvalidationOptions> options, CancellationToken cancellationToken) =>
            {
                // Any content type: SNS posts its JSON as text/plain.
                var body = await ReadBodyAsync(request, options.Value.MaxBodyBytes, cancellationToken);
                if (body is null)
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Notification too large",
                        detail: $"A notification has at most {options.Value.MaxBodyBytes} bytes.");
                }

                var (result, error) = await handler.ApplyAsync(body.Value, cancellationToken);
                return result is not null
                    ? TypedResults.Accepted((string?)null, result)
                    : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not an S3 event notification", detail: error);
            })
            .RequireAuthorization(ControlApiAccess.OperatePolicy)
            .WithTags("Invalidation")
            .WithName("InvalidateObjects")
            .WithSummary("Takes the objects an S3 event notification names (ObjectCreated:*, ObjectRemoved:*; direct, via SNS, SQS or EventBridge) out of every cache layer.");
        return app;
    }

    /// <summary>The whole body, or null when it is longer than <paramref name="limit"/>.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
