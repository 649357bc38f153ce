using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using ReactiveCache.Core.Http;
using ReactiveCache.Core.Objects;

namespace ReactiveCache.Tests.Http;

/// <summary>
/// The one rule of object HTTP semantics (ReactiveCache.Core.Http), tested once here: the gateway's three
/// layers and the function all answer through it (their integration tests: Gateway/HttpSemanticsTests,
/// Function/FunctionTunnelTests).
/// </summary>
public sealed class RangeSpecTests
{
    [Theory]
    [InlineData("bytes=0-9", 100, 0, 9)]
    [InlineData("bytes=90-", 100, 90, 99)]
    [InlineData("bytes=-10", 100, 90, 99)]
    [InlineData("bytes=-100", 100, 0, 99)]
    [InlineData("bytes=-500", 100, 0, 99)] // a suffix larger than the object: all of it
    [InlineData("bytes=95-200", 100, 95, 99)] // a-b beyond the end: clipped
    [InlineData("bytes=0-99", 100, 0, 99)]
    [InlineData("bytes=99-99", 100, 99, 99)]
    [InlineData("Bytes=5-5", 100, 5, 5)]
    [InlineData(" bytes= 3 - 4 ", 100, 3, 4)]
    public void Satisfiable_ranges_resolve(string header, long length, long from, long to) =>
        Assert.Equal(new ByteRange(from, to), RangeSpec.Parse(header)!.Value.Resolve(length));

    [Theory]
    [InlineData("bytes=100-", 100)]
    [InlineData("bytes=100-200", 100)]
    [InlineData("bytes=-0", 100)]
    [InlineData("bytes=0-", 0)]
    [InlineData("bytes=-5", 0)]
    public void Unsatisfiable_ranges_resolve_to_null(string header, long length) =>
        Assert.Null(RangeSpec.Parse(header)!.Value.Resolve(length));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("items=0-5")]
    [InlineData("bytes 0-5")]
    [InlineData("bytes=0-1,4-5")]
    [InlineData("bytes=0-1, -5")]
    [InlineData("bytes=5-1")]
    [InlineData("bytes=a-b")]
    [InlineData("bytes=1-b")]
    [InlineData("bytes=-")]
    [InlineData("bytes=5")]
    [InlineData("bytes=+5-6")]
    [InlineData("bytes=-5-6")]
    [InlineData("bytes=99999999999999999999-")]
    public void Headers_a_server_ignores_parse_to_null(string? header) => Assert.Null(RangeSpec.Parse(header));
}

public sealed class ResponsePlanTests
{
    private static readonly ObjectMetadata Metadata = new("k", 100, "\"abc\"", "text/plain", DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("W/\"abc\"")] // If-None-Match compares weakly
    [InlineData("\"x\", \"abc\"")]
    [InlineData("\"x\",W/\"abc\" , \"y\"")]
    [InlineData("*")]
    public void A_matching_if_none_match_is_304(string ifNoneMatch)
    {
        Assert.Equal(new ResponsePlan(ResponseKind.NotModified, null), Plan("GET", ("If-None-Match", ifNoneMatch)));
        // It wins over a range, and holds for HEAD too.
        Assert.Equal(ResponseKind.NotModified, Plan("GET", ("If-None-Match", ifNoneMatch), ("Range", "bytes=0-9")).Kind);
        Assert.Equal(ResponseKind.NotModified, Plan("HEAD", ("If-None-Match", ifNoneMatch)).Kind);
    }

    [Theory]
    [InlineData("\"other\"")]
    [InlineData("\"x\", W/\"y\"")]
    [InlineData("abc")] // not an entity tag
    [InlineData("\"ab")]
    public void A_non_matching_if_none_match_is_200(string ifNoneMatch) =>
        Assert.Equal(ResponseKind.Full, Plan("GET", ("If-None-Match", ifNoneMatch)).Kind);

    [Fact]
    public void A_strong_etag_in_the_metadata_matches_a_weak_one_on_the_object_too()
    {
        var weak = Metadata with { ETag = "W/\"abc\"" };
        Assert.Equal(ResponseKind.NotModified, ResponsePlan.For(Conditions("GET", ("If-None-Match", "\"abc\"")), weak).Kind);
    }

    [Fact]
    public void No_header_is_200_with_the_whole_object_as_body()
    {
        var plan = Plan("GET");
        Assert.Equal(ResponseKind.Full, plan.Kind);
        Assert.Equal(new ByteRange(0, 99), plan.BodyRange(Metadata));
        Assert.Null(plan.BodyRange(Metadata with { Length = 0 }));
    }

    [Fact]
    public void A_single_range_is_206_with_that_range_as_body()
    {
        var plan = Plan("GET", ("Range", "bytes=-500"));
        Assert.Equal(new ResponsePlan(ResponseKind.Partial, new ByteRange(0, 99)), plan);
        Assert.Equal(new ByteRange(0, 99), plan.BodyRange(Metadata));
    }

    [Theory]
    [InlineData("bytes=100-")]
    [InlineData("bytes=-0")]
    public void An_unsatisfiable_range_is_416_without_a_body(string range)
    {
        var plan = Plan("GET", ("Range", range));
        Assert.Equal(new ResponsePlan(ResponseKind.RangeNotSatisfiable, null), plan);
        Assert.Null(plan.BodyRange(Metadata));
    }

    [Theory]
    [InlineData("bytes=0-1,4-5")]
    [InlineData("bytes=5-1")]
    [InlineData("items=0-5")]
    [InlineData("bytes=x-")]
    public void Several_or_malformed_ranges_are_ignored_200(string range) =>
        Assert.Equal(ResponseKind.Full, Plan("GET", ("Range", range)).Kind);

    [Fact]
    public void Two_range_header_lines_are_several_ranges_200()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Headers.Range = new StringValues(new[] { "bytes=0-1", "bytes=4-5" });
        Assert.Equal(ResponseKind.Full, ResponsePlan.For(ObjectConditions.From(context.Request), Metadata).Kind);
    }

    [Fact]
    public void A_range_on_head_is_ignored()
    {
        var conditions = Conditions("HEAD", ("Range", "bytes=0-9"));
        Assert.Null(conditions.Range);
        Assert.Equal(ResponseKind.Full, ResponsePlan.For(conditions, Metadata).Kind);
    }

    [Theory]
    [InlineData("\"abc\"", ResponseKind.Partial)]
    [InlineData(" \"abc\" ", ResponseKind.Partial)]
    [InlineData("\"old\"", ResponseKind.Full)]
    [InlineData("W/\"abc\"", ResponseKind.Full)] // If-Range compares strongly
    [InlineData("Thu, 01 Jan 1970 00:00:00 GMT", ResponseKind.Full)]
    public void If_range_sends_the_part_only_for_the_current_etag(string ifRange, ResponseKind kind) =>
        Assert.Equal(kind, Plan("GET", ("Range", "bytes=0-9"), ("If-Range", ifRange)).Kind);

    [Fact]
    public void Plain_get_is_only_a_get_without_range_or_condition()
    {
        Assert.True(Conditions("GET").IsPlainGet);
        Assert.False(Conditions("HEAD").IsPlainGet);
        Assert.False(Conditions("GET", ("Range", "bytes=0-1")).IsPlainGet);
        Assert.False(Conditions("GET", ("If-None-Match", "*")).IsPlainGet);
    }

    private static ResponsePlan Plan(string method, params (string Name, string Value)[] headers) =>
        ResponsePlan.For(Conditions(method, headers), Metadata);

    private static ObjectConditions Conditions(string method, params (string Name, string Value)[] headers) =>
        ObjectConditions.From(HttpFake.Context(method, headers).Context.Request);
}

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

    private static async Task<(HttpResponse Response, byte[] Body)> ServeAsync(InMemoryObject obj, string method, params (string Name, string Value)[] headers)
    {
        var (context, body) = HttpFake.Context(method, headers);
        await ObjectResponder.WriteAsync(context, obj, default);
        return (context.Response, body.ToArray());
    }
}

internal static class HttpFake
{
    public static (HttpContext Context, MemoryStream Body) Context(string method, params (string Name, string Value)[] headers)
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
