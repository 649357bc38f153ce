using System.Security.Cryptography;
using ReactiveCache.Core.Objects;

namespace ReactiveCache.Testing;

/// <summary>What every <see cref="IObjectStore"/> must do; run against the folder store and against S3 (s3rver).</summary>
public abstract class ObjectStoreContract
{
    protected abstract IObjectStore Store { get; }

    [Theory]
    [InlineData("index.html", 144, "text/html")]
    [InlineData("100B.txt", 100, "text/plain")]
    [InlineData("1KB.txt", 1024, "text/plain")]
    [InlineData("1MB.txt", 1024 * 1024, "text/plain")]
    public async Task Get_streams_the_sample_object_byte_exact_with_metadata(string key, int length, string contentType)
    {
        await using var stored = await Store.GetAsync(key);

        Assert.NotNull(stored);
        var body = await ReadAllAsync(stored.Body);
        Assert.Equal(SampleObjects.All[key], body);
        Assert.Equal(length, stored.Metadata.Length);
        Assert.Equal(contentType, stored.Metadata.ContentType);
        Assert.Equal(QuotedMd5(SampleObjects.All[key]), stored.Metadata.ETag);
        Assert.Null(stored.Range);
    }

    [Fact]
    public async Task Metadata_matches_what_get_returns()
    {
        var metadata = await Store.GetMetadataAsync("1KB.txt");
        await using var stored = await Store.GetAsync("1KB.txt");

        Assert.NotNull(metadata);
        Assert.NotNull(stored);
        Assert.Equal(stored.Metadata.ETag, metadata.ETag);
        Assert.Equal(1024, metadata.Length);
        Assert.Equal("text/plain", metadata.ContentType);
    }

    [Fact]
    public async Task A_missing_key_is_null_not_an_exception()
    {
        Assert.Null(await Store.GetMetadataAsync("no/such/object.txt"));
        Assert.Null(await Store.GetAsync("no/such/object.txt"));
    }

    [Fact]
    public async Task A_range_returns_only_those_bytes_and_the_full_length()
    {
        await using var stored = await Store.GetAsync("1MB.txt", new ByteRange(1000, 1999));

        Assert.NotNull(stored);
        Assert.Equal(SampleObjects.All["1MB.txt"].AsSpan(1000, 1000).ToArray(), await ReadAllAsync(stored.Body));
        Assert.Equal(1024 * 1024, stored.Metadata.Length);
        Assert.Equal(new ByteRange(1000, 1999), stored.Range);
    }

    protected static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static string QuotedMd5(byte[] content) => $"\"{Convert.ToHexStringLower(MD5.HashData(content))}\"";
}
