using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using ReactiveCache.Core.Http;
using ReactiveCache.Core.Objects;

namespace ReactiveCache.UnitTests.Core.Http;

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
