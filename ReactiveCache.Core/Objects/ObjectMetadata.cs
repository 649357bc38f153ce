namespace ReactiveCache.Core.Objects;

/// <summary>What a store knows of one object without reading its body.</summary>
/// <param name="ETag">The entity tag, quoted as in HTTP (<c>"…"</c>).</param>
public sealed record ObjectMetadata(string Key, long Length, string ETag, string ContentType, DateTimeOffset LastModified);
