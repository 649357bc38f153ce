namespace ReactiveCache.Core.Objects;

/// <summary>Why the store of record could not answer (a missing key is not a failure: the store returns <c>null</c>).</summary>
public enum ObjectStoreFailure
{
    /// <summary>The store failed or could not be reached (5xx, throttling, a refused or reset connection): try again later.</summary>
    Unavailable,

    /// <summary>The store refused our credentials or their permissions (403: AccessDenied, an expired token, a bad signature).</summary>
    AccessDenied,

    /// <summary>The store rejected the request for another reason of ours (e.g. <c>NoSuchBucket</c>): a setup error.</summary>
    Rejected,

    /// <summary>The store did not answer in time (every attempt timed out).</summary>
    Timeout,
}

/// <summary>A failure of the store of record, told apart by <see cref="Failure"/> so that callers can answer it clearly.</summary>
public sealed class ObjectStoreException(ObjectStoreFailure failure, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public ObjectStoreFailure Failure { get; } = failure;

    /// <summary>The store's own error code when it sent one (e.g. <c>AccessDenied</c>, <c>SlowDown</c>).</summary>
    public string? ErrorCode { get; init; }
}
