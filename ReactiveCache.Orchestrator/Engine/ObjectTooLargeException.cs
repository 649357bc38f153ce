using ReactiveCache.Domain;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>A key was to be put on a layer whose size limit it exceeds (<see cref="LayerSizeLimits"/>).</summary>
public sealed class ObjectTooLargeException(string key, CacheLayer layer, long size, long limit)
    : InvalidOperationException($"'{key}' ({size} bytes) is larger than the {layer.ToName()} layer's limit of {limit} bytes.");
