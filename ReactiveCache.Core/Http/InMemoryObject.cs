using ReactiveCache.Core.Objects;

namespace ReactiveCache.Core.Http;

/// <summary>An object held in memory (by the function or a cache) with its metadata.</summary>
public sealed record InMemoryObject(ObjectMetadata Metadata, ReadOnlyMemory<byte> Content);
