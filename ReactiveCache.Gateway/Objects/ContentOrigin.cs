using ReactiveCache.Domain;

namespace ReactiveCache.Gateway.Objects;

/// <summary>
/// The thesis's response header naming the layer that served a request; its values are
/// <see cref="ReactiveCache.Domain.CacheLayerNames"/>.
/// </summary>
public static class ContentOrigin
{
    public const string HeaderName = "Content-Origin";
}
