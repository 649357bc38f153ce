namespace ReactiveCache.Gateway.Objects;

/// <summary>The thesis's response header naming the layer that served a request.</summary>
public static class ContentOrigin
{
    public const string HeaderName = "Content-Origin";
    public const string S3 = "s3";
    public const string Lambda = "lambda";
    public const string Redis = "redis";
}
