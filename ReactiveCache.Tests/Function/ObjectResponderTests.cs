using Microsoft.AspNetCore.Http;
using ReactiveCache.Core.Http;
using ReactiveCache.Core.Objects;

namespace ReactiveCache.Tests.Function;

/// <summary>The object HTTP semantics the function serves with (ETag, If-None-Match, Range, HEAD).</summary>
public sealed class ObjectResponderTests
{
    private static readonly InMemoryObject Object = new(
        new ObjectMetadata("1KB.txt", 1024, "\"abc\"", "text/plain", DateTimeOffset.UnixEpoch),
        SampleObjects.All["1KB.txt"]);

    [Fact]
    public async Task A_get_is_200_with_the_bytes_and_the_etag()
    {
        var (context, body) = Context("GET");

        await ObjectResponder.WriteAsync(context, Object, default);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("\"abc\"", context.Response.Headers.ETag.ToString());
        Assert.Equal(1024, context.Response.ContentLength);
        Assert.Equal(SampleObjects.All["1KB.txt"], body.ToArray());
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("W/\"abc\"")]
    [InlineData("\"x\", \"abc\"")]
    [InlineData("*")]
    public async Task A_matching_if_none_match_is_304_without_a_body(string ifNoneMatch)
    {
        var (context, body) = Context("GET", ("If-None-Match", ifNoneMatch));

        await ObjectResponder.WriteAsync(context, Object, default);

        Assert.Equal(304, context.Response.StatusCode);
        Assert.Equal(0, body.Length);
    }

    [Theory]
    [InlineData("bytes=0-9", 0, 9)]
    [InlineData("bytes=1000-", 1000, 1023)]
    [InlineData("bytes=-24", 1000, 1023)]
    [InlineData("bytes=1000-5000", 1000, 1023)]
    public async Task A_single_range_is_206_with_content_range(string range, int from, int to)
    {
        var (context, body) = Context("GET", ("Range", range));

        await ObjectResponder.WriteAsync(context, Object, default);

        Assert.Equal(206, context.Response.StatusCode);
        Assert.Equal($"bytes {from}-{to}/1024", context.Response.Headers.ContentRange.ToString());
        Assert.Equal(SampleObjects.All["1KB.txt"][from..(to + 1)], body.ToArray());
    }

    [Fact]
    public async Task An_unsatisfiable_range_is_416()
    {
        var (context, _) = Context("GET", ("Range", "bytes=2000-3000"));

        await ObjectResponder.WriteAsync(context, Object, default);

        Assert.Equal(416, context.Response.StatusCode);
        Assert.Equal("bytes */1024", context.Response.Headers.ContentRange.ToString());
    }

    [Fact]
    public async Task A_head_has_the_headers_and_no_body()
    {
        var (context, body) = Context("HEAD");

        await ObjectResponder.WriteAsync(context, Object, default);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(1024, context.Response.ContentLength);
        Assert.Equal(0, body.Length);
    }

    private static (HttpContext Context, MemoryStream Body) Context(string method, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        var body = new MemoryStream();
        context.Response.Body = body;
        return (context, body);
    }
}
