using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace ReactiveCache.Core.Objects;

/// <summary>
/// Amazon S3 (or an S3-compatible server) as the store of record. Bodies are streamed. A missing key is
/// <c>null</c>; every other failure is an <see cref="ObjectStoreException"/> saying which kind it is
/// (<see cref="Classify"/>), so that callers never have to know the SDK's exceptions.
/// </summary>
public sealed class S3ObjectStore(IAmazonS3 s3, IOptions<ObjectStoreOptions> options) : IObjectStore
{
    private readonly string _bucket = options.Value.Bucket ?? throw new InvalidOperationException("ObjectStore:Bucket is not set.");

    public async Task<ObjectMetadata?> GetMetadataAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await s3.GetObjectMetadataAsync(_bucket, key, cancellationToken);
            return ToMetadata(key, response.ContentLength, response.ETag, response.Headers.ContentType, response.LastModified);
        }
        catch (AmazonS3Exception e) when (IsMissing(e))
        {
            return null;
        }
        catch (Exception e) when (Classify(e, key, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    public async Task<StoredObject?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default) =>
        (await GetIfAsync(key, default, range, cancellationToken)).Object;

    /// <summary>S3 checks the condition itself (If-Match → 412, If-None-Match → 304): a current copy moves no body.</summary>
    public async Task<ConditionalRead> GetIfAsync(string key, VersionCondition condition, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        var request = new GetObjectRequest { BucketName = _bucket, Key = key, EtagToMatch = condition.IfMatch, EtagToNotMatch = condition.IfNoneMatch };
        if (range is { } r)
        {
            request.ByteRange = new Amazon.S3.Model.ByteRange(r.From, r.To);
        }

        try
        {
            var response = await s3.GetObjectAsync(request, cancellationToken);
            var total = range is null ? response.ContentLength : TotalLength(response) ?? response.ContentLength;
            var metadata = ToMetadata(key, total, response.ETag, response.Headers.ContentType, response.LastModified);
            return new ConditionalRead(ReadStatus.Found, new StoredObject(metadata, response.ResponseStream, range));
        }
        catch (AmazonS3Exception e) when (IsMissing(e))
        {
            return ConditionalRead.Missing;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotModified)
        {
            return ConditionalRead.NotModified;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            return ConditionalRead.Changed;
        }
        catch (Exception e) when (Classify(e, key, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>
    /// What kind of store failure <paramref name="exception"/> is, or <c>null</c> when it is none: anything
    /// thrown once the caller cancelled stays the caller's (the caller sees its own cancellation). An SDK timeout (the caller did not cancel) is a
    /// <see cref="ObjectStoreFailure.Timeout"/>; a 403 family error is <see cref="ObjectStoreFailure.AccessDenied"/>;
    /// other 4xx are <see cref="ObjectStoreFailure.Rejected"/>; 5xx, throttling and network errors are
    /// <see cref="ObjectStoreFailure.Unavailable"/>.
    /// </summary>
    public static ObjectStoreException? Classify(Exception exception, string key, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case ObjectStoreException:
                return null;
            case not null when cancellationToken.IsCancellationRequested:
                return null; // whatever the SDK threw after the caller cancelled, the cancellation explains it
            case OperationCanceledException or TimeoutException:
                return new ObjectStoreException(ObjectStoreFailure.Timeout, $"S3 did not answer in time for '{key}'.", exception);
            case AmazonServiceException service:
                var status = (int)service.StatusCode;
                var code = string.IsNullOrEmpty(service.ErrorCode) ? null : service.ErrorCode;
                var failure = code is "AccessDenied" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "ExpiredToken" or "InvalidToken" or "AllAccessDisabled"
                              || status == 403
                    ? ObjectStoreFailure.AccessDenied
                    : status is >= 400 and < 500 && status != 429 && code is not ("SlowDown" or "RequestTimeout" or "Throttling")
                        ? ObjectStoreFailure.Rejected
                        : ObjectStoreFailure.Unavailable;
                return new ObjectStoreException(failure, $"S3 answered {status} {code ?? "(no code)"} for '{key}'.", exception) { ErrorCode = code };
            case AmazonClientException or HttpRequestException or IOException:
                return new ObjectStoreException(ObjectStoreFailure.Unavailable, $"S3 could not be reached for '{key}': {exception.Message}", exception);
            default:
                return null;
        }
    }

    /// <summary>The key does not exist (a missing bucket, <c>NoSuchBucket</c>, is a configuration error and stays one).</summary>
    private static bool IsMissing(AmazonS3Exception e) =>
        e.ErrorCode == "NoSuchKey"
        || (e.StatusCode == HttpStatusCode.NotFound && string.IsNullOrEmpty(e.ErrorCode) | e.ErrorCode == "NotFound");

    /// <summary>The object's full length from <c>Content-Range: bytes a-b/total</c>.</summary>
    private static long? TotalLength(GetObjectResponse response)
    {
        var contentRange = response.ContentRange;
        var slash = contentRange?.LastIndexOf('/') ?? -1;
        return slash >= 0 && long.TryParse(contentRange.AsSpan(slash + 1), out var total) ? total : null;
    }

    private static ObjectMetadata ToMetadata(string key, long length, string? etag, string? contentType, DateTime? lastModified) =>
        new(key,
            length,
            string.IsNullOrEmpty(etag) ? "\"\"" : etag.StartsWith('"') ? etag : $"\"{etag}\"",
            string.IsNullOrEmpty(contentType) ? ContentTypes.ForKey(key) : contentType,
            lastModified is { } m ? new DateTimeOffset(DateTime.SpecifyKind(m, DateTimeKind.Utc)) : DateTimeOffset.UnixEpoch);
}
