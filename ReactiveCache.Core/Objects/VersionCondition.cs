namespace ReactiveCache.Core.Objects;

/// <summary>
/// A condition on the version (ETag) of an object read from the store: <see cref="IfMatch"/> reads only that version
/// (the later reads of an object whose first answer is already on its way), <see cref="IfNoneMatch"/> reads only a
/// version other than the one a cache holds (a revalidation: "not modified" costs no body).
/// </summary>
public readonly record struct VersionCondition(string? IfMatch, string? IfNoneMatch)
{
    /// <summary>Only the version <paramref name="etag"/> (otherwise <see cref="ReadStatus.Changed"/>).</summary>
    public static VersionCondition Matching(string etag) => new(etag, null);

    /// <summary>Only a version other than <paramref name="etag"/> (otherwise <see cref="ReadStatus.NotModified"/>).</summary>
    public static VersionCondition ChangedFrom(string etag) => new(null, etag);

    /// <summary>What the condition makes of an object whose version is <paramref name="etag"/>.</summary>
    public ReadStatus Evaluate(string etag) =>
        IfMatch is not null && !string.Equals(IfMatch, etag, StringComparison.Ordinal) ? ReadStatus.Changed
        : IfNoneMatch is not null && string.Equals(IfNoneMatch, etag, StringComparison.Ordinal) ? ReadStatus.NotModified
        : ReadStatus.Found;
}

/// <summary>What a conditional read of the store found.</summary>
public enum ReadStatus
{
    /// <summary>The object, opened (<see cref="ConditionalRead.Object"/>).</summary>
    Found,

    /// <summary>No such key.</summary>
    Missing,

    /// <summary>The store still holds the version named by <see cref="VersionCondition.IfNoneMatch"/> (HTTP 304).</summary>
    NotModified,

    /// <summary>The store holds another version than the one named by <see cref="VersionCondition.IfMatch"/> (HTTP 412).</summary>
    Changed,
}

/// <summary>The outcome of <see cref="IObjectStore.GetIfAsync"/>; the caller disposes it (and so the body, when found).</summary>
public sealed record ConditionalRead(ReadStatus Status, StoredObject? Object) : IAsyncDisposable
{
    public static ConditionalRead Missing { get; } = new(ReadStatus.Missing, null);

    public static ConditionalRead NotModified { get; } = new(ReadStatus.NotModified, null);

    public static ConditionalRead Changed { get; } = new(ReadStatus.Changed, null);

    public ValueTask DisposeAsync() => Object?.DisposeAsync() ?? ValueTask.CompletedTask;
}
