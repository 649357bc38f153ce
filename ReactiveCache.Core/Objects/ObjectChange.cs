namespace ReactiveCache.Core.Objects;

/// <summary>
/// An object written (created or replaced) or removed in the store of record: every cached copy of
/// <paramref name="Key"/> is stale from then on. What an S3 event notification (ObjectCreated:* / ObjectRemoved:*)
/// or the folder store's watcher reports.
/// </summary>
public readonly record struct ObjectChange(string Key, bool Removed);
