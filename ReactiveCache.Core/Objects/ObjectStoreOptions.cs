using Amazon.Runtime;

namespace ReactiveCache.Core.Objects;

public enum ObjectStoreKind
{
    /// <summary>A folder on disk: the local default, needs nothing installed.</summary>
    Folder,

    /// <summary>Amazon S3 or an S3-compatible server (s3rver in tests).</summary>
    S3,
}

/// <summary>Configuration section <c>ObjectStore</c>.</summary>
public sealed class ObjectStoreOptions
{
    public const string SectionName = "ObjectStore";

    public ObjectStoreKind Kind { get; set; } = ObjectStoreKind.Folder;

    /// <summary>Folder store: the directory whose files are the objects (key = relative path).</summary>
    public string? Root { get; set; }

    /// <summary>S3: the bucket holding the objects.</summary>
    public string? Bucket { get; set; }

    /// <summary>S3: endpoint of an S3-compatible server, e.g. <c>http://127.0.0.1:4569</c>; empty for AWS.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>S3: path-style addressing (needed by most S3-compatible servers).</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>S3: AWS region (e.g. <c>eu-central-1</c>); empty for the SDK's default resolution.</summary>
    public string? Region { get; set; }

    /// <summary>
    /// S3: how the SDK retries a failed call: <c>Standard</c> (exponential back-off with jitter and a retry
    /// quota that stops retrying while S3 keeps failing) or <c>Adaptive</c> (the same, plus client-side rate
    /// limiting after throttling answers). Set here so that it never depends on the SDK's or the machine's defaults.
    /// </summary>
    public RequestRetryMode RetryMode { get; set; } = RequestRetryMode.Standard;

    /// <summary>S3: retries after the first attempt (so at most <c>MaxErrorRetry + 1</c> attempts per call).</summary>
    public int MaxErrorRetry { get; set; } = 2;

    /// <summary>S3: time one attempt may take to get S3's answer (its headers); a hanging S3 costs at most this per attempt.</summary>
    public int AttemptTimeoutMs { get; set; } = 5_000;

    /// <summary>S3: time to open a connection to S3.</summary>
    public int ConnectTimeoutMs { get; set; } = 2_000;

    /// <summary>The longest one call may take with every retry: what the store's callers can count on.</summary>
    public TimeSpan WorstCaseCall => TimeSpan.FromMilliseconds((double)AttemptTimeoutMs * (MaxErrorRetry + 1));

    /// <summary>What is wrong with these settings (nothing when valid). Checked at start by <see cref="ObjectStoreOptionsValidator"/>.</summary>
    public IEnumerable<string> Errors()
    {
        if (Kind == ObjectStoreKind.Folder && string.IsNullOrWhiteSpace(Root))
        {
            yield return "ObjectStore:Root is required when ObjectStore:Kind is Folder.";
        }

        if (Kind == ObjectStoreKind.S3 && string.IsNullOrWhiteSpace(Bucket))
        {
            yield return "ObjectStore:Bucket is required when ObjectStore:Kind is S3.";
        }

        if (!string.IsNullOrWhiteSpace(ServiceUrl) && !Uri.TryCreate(ServiceUrl, UriKind.Absolute, out _))
        {
            yield return "ObjectStore:ServiceUrl must be an absolute URL.";
        }

        if (RetryMode is not (RequestRetryMode.Standard or RequestRetryMode.Adaptive))
        {
            yield return "ObjectStore:RetryMode must be Standard or Adaptive.";
        }

        if (MaxErrorRetry is < 0 or > 10)
        {
            yield return "ObjectStore:MaxErrorRetry must be between 0 and 10.";
        }

        if (AttemptTimeoutMs is < 100 or > 300_000)
        {
            yield return "ObjectStore:AttemptTimeoutMs must be between 100 and 300000.";
        }

        if (ConnectTimeoutMs is < 100 or > 60_000 || ConnectTimeoutMs > AttemptTimeoutMs)
        {
            yield return "ObjectStore:ConnectTimeoutMs must be between 100 and 60000 and no longer than AttemptTimeoutMs.";
        }
    }
}
