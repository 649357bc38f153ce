using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using ReactiveCache.Core.Http;
using ReactiveCache.Core.Objects;

namespace ReactiveCache.UnitTests.Core.Http;

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

    [Theory]
    [InlineData("\"other\"")]
    [InlineData("W/\"abc\"")] // If-Match compares strongly: a weak tag never matches
    public void A_range_with_if_match_of_another_version_is_412_and_no_body(string ifMatch)
    {
        var plan = Plan("GET", ("If-Match", ifMatch), ("Range", "bytes=0-9"));
        Assert.Equal(new ResponsePlan(ResponseKind.PreconditionFailed, null), plan);
        Assert.True(plan.IsRefusal);
        Assert.Null(plan.BodyRange(Metadata));
        Assert.False(Conditions("GET", ("If-Match", ifMatch)).IsPlainGet);
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"x\", \"abc\"")]
    [InlineData("*")]
    public void A_range_with_if_match_of_this_version_is_206(string ifMatch) =>
        Assert.Equal(new ResponsePlan(ResponseKind.Partial, new ByteRange(0, 9)), Plan("GET", ("If-Match", ifMatch), ("Range", "bytes=0-9")));

    private static ResponsePlan Plan(string method, params (string Name, string Value)[] headers) =>
        ResponsePlan.For(Conditions(method, headers), Metadata);

    private static ObjectConditions Conditions(string method, params (string Name, string Value)[] headers) =>
        ObjectConditions.From(HttpFake.Context(method, headers).Context.Request);
}
