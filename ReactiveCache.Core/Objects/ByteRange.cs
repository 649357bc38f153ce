namespace ReactiveCache.Core.Objects;

/// <summary>An inclusive byte range <c>[From, To]</c> of an object, already resolved against its length.</summary>
public readonly record struct ByteRange(long From, long To)
{
    public long Length => To - From + 1;
}
