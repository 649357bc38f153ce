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
    }
}
