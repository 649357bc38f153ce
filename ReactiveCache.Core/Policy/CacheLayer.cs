namespace ReactiveCache.Core.Policy;

/// <summary>The layer that serves (or would serve) a GET: the thesis's <c>Content-Origin</c> values.</summary>
public enum CacheLayer
{
    S3 = 0,
    Lambda = 1,
    Redis = 2,
}
