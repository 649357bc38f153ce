using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using ReactiveCache.Core.Http;
using ReactiveCache.Core.Objects;

namespace ReactiveCache.UnitTests.Core.Http;

/// <summary>What <see cref="ObjectResponder"/> writes: status, headers and body of each plan.</summary>
public sealed class ObjectResponderTests
{
    private static readonly byte[] Content = SampleObjects.All["1KB.txt"];

    private static readonly InMemoryObject Object = new(
        new ObjectMetadata("1KB.txt", 1024, "\"abc\"", "text/plain", new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero)),
        Content);

    [Fact]
    public async Task A_get_is_200_with_the_bytes_and_all_headers()
    {
        var (response, body) = await ServeAsync(Object, "GET");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("\"abc\"", response.Headers.ETag.ToString());
        Assert.Equal("Mon, 06 May 2024 07:08:09 GMT", response.Headers.LastModified.ToString());
        Assert.Equal("bytes", response.Headers.AcceptRanges.ToString());
        Assert.Equal("text/plain", response.ContentType);
        Assert.Equal(1024, response.ContentLength);
        Assert.Equal(0, response.Headers.ContentRange.Count);
        Assert.Equal(Content, body);
    }

    /// <param name="from">First byte of the body; <c>null</c> for no body.</param>
    /// <param name="length">Expected <c>Content-Length</c>; <c>null</c> for none.</param>
    [Theory]
    [InlineData("If-None-Match", "\"abc\"", 304, null, null, null, null)]
    [InlineData("If-None-Match", "W/\"abc\"", 304, null, null, null, null)]
    [InlineData("If-None-Match", "\"x\", \"abc\"", 304, null, null, null, null)]
    [InlineData("If-None-Match", "*", 304, null, null, null, null)]
    [InlineData("If-None-Match", "\"x\"", 200, null, 0, 1023, 1024)]
    [InlineData("Range", "bytes=0-9", 206, "bytes 0-9/1024", 0, 9, 10)]
    [InlineData("Range", "bytes=1000-", 206, "bytes 1000-1023/1024", 1000, 1023, 24)]
    [InlineData("Range", "bytes=-24", 206, "bytes 1000-1023/1024", 1000, 1023, 24)]
    [InlineData("Range", "bytes=-5000", 206, "bytes 0-1023/1024", 0, 1023, 1024)]
    [InlineData("Range", "bytes=1000-5000", 206, "bytes 1000-1023/1024", 1000, 1023, 24)]
    [InlineData("Range", "bytes=0-1,5-6", 200, null, 0, 1023, 1024)]
    [InlineData("Range", "bytes=9-2", 200, null, 0, 1023, 1024)]
    [InlineData("Range", "bytes=oops", 200, null, 0, 1023, 1024)]
    [InlineData("Range", "bytes=2000-3000", 416, "bytes */1024", null, null, 0)]
    [InlineData("Range", "bytes=1024-", 416, "bytes */1024", null, null, 0)]
    [InlineData("Range", "bytes=-0", 416, "bytes */1024", null, null, 0)]
    public async Task A_get_is_answered_with_its_status_content_range_and_bytes(
        string header, string value, int status, string? contentRange, int? from, int? to, int? length)
    {
        var (response, body) = await ServeAsync(Object, "GET", (header, value));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("\"abc\"", response.Headers.ETag.ToString());
        Assert.Equal(contentRange ?? "", response.Headers.ContentRange.ToString());
        Assert.Equal(length, response.ContentLength);
        Assert.Equal(from is { } f ? Content[f..(to!.Value + 1)] : [], body);
        Assert.Equal(status is 200 or 206 ? "text/plain" : null, response.ContentType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("bytes=0-9")]
    public async Task A_head_is_200_with_the_headers_and_no_body(string? range)
    {
        var (response, body) = await ServeAsync(Object, "HEAD", range is null ? [] : [("Range", range)]);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(1024, response.ContentLength);
        Assert.Equal("\"abc\"", response.Headers.ETag.ToString());
        Assert.Empty(body);
    }

    [Fact]
    public async Task An_empty_object_is_200_with_no_bytes()
    {
        var empty = new InMemoryObject(Object.Metadata with { Length = 0 }, ReadOnlyMemory<byte>.Empty);

        var (response, body) = await ServeAsync(empty, "GET");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(0, response.ContentLength);
        Assert.Empty(body);
    }

    [Fact]
    public async Task A_large_body_is_written_a_slice_at_a_time_never_whole()
    {
        // Kestrel copies each write whole into its output pipe: one write of a large object would hold it twice.
        var bytes = new byte[ObjectResponder.WriteSliceBytes * 3 + 17];
        Random.Shared.NextBytes(bytes);
        var large = new InMemoryObject(Object.Metadata with { Length = bytes.Length }, bytes);
        var (context, _) = HttpFake.Context("GET");
        var body = new WriteRecordingStream();
        context.Response.Body = body;

        await ObjectResponder.WriteAsync(context, large, default);

        Assert.Equal(bytes, body.ToArray());
        Assert.Equal(4, body.Writes.Count);
        Assert.All(body.Writes, length => Assert.True(length <= ObjectResponder.WriteSliceBytes, $"a write of {length} bytes"));
    }

    private sealed class WriteRecordingStream : MemoryStream
    {
        public List<int> Writes { get; } = [];

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.Length);
            return base.WriteAsync(buffer, cancellationToken);
        }
    }

    private static async Task<(HttpResponse Response, byte[] Body)> ServeAsync(InMemoryObject obj, string method, params (string Name, string Value)[] headers)
    {
        var (context, body) = HttpFake.Context(method, headers);
        await ObjectResponder.WriteAsync(context, obj, default);
        return (context.Response, body.ToArray());
    }
}
