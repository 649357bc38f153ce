using System.ComponentModel.DataAnnotations;

namespace ReactiveCache.Orchestrator.Invalidation;

/// <summary>Configuration section <c>Invalidation</c>: how cached copies are kept to the store's current version.</summary>
public sealed class InvalidationOptions
{
    public const string SectionName = "Invalidation";

    /// <summary>
    /// A copy on the node older than this is revalidated (a conditional GET against its ETag: an unchanged object moves
    /// no body, a changed one is loaded again), and so is a function's copy (the function is given the same age).
    /// This bounds staleness when no change event arrives; zero turns it off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>With the folder store (local runs): a written or deleted file is invalidated as S3's events would be.</summary>
    public bool WatchFolder { get; set; } = true;

    /// <summary>
    /// Folder changes waiting to be invalidated, at most. Past it a change is dropped (counted), and since the lost key
    /// is unknown every cached copy is invalidated instead: safe (nothing stale is served), but every hot key starts over.
    /// </summary>
    [Range(1, 10_000_000)]
    public int FeedCapacity { get; set; } = 65_536;

    /// <summary>The largest notification body accepted (S3, SNS, SQS and EventBridge messages are at most 256 KB).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 256 * 1024;
}
