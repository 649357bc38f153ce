using ReactiveCache.Domain.Traces;
using ReactiveCache.Domain.Traces.Generators;

namespace ReactiveCache.UnitTests.Domain.Traces;

public sealed class TraceFormatTests
{
    [Fact]
    public void Reads_every_published_trace()
    {
        foreach (var (file, count) in new[] { ("60-1-ec2log.txt", 175), ("30-poisson-3.txt", 82), ("30-poisson-4.txt", 118), ("7-spike-simple-50-150.txt", 150), ("12-spike-simple-100-250.txt", 250), ("16-spike-simple-150-300.txt", 300), ("38-spike-simple-300-600.txt", 600), ("5-latency-30.txt", 30) })
        {
            var trace = TraceFormat.Load(ThesisTraces.Path(file));
            Assert.Equal(count, trace.Count);
            Assert.Equal(["index.html"], trace.Keys);
        }
    }

    [Fact]
    public void Lines_without_a_key_get_the_default_key()
    {
        var trace = TraceFormat.Parse(new StringReader("0\t5.0\tGET\r\n1\t15.0\tGET\tother\r\n"), "t");
        Assert.Equal(["index.html", "other"], trace.Requests.Select(r => r.Key));
        var custom = TraceFormat.Parse(new StringReader("0\t5.0\tGET\n"), "t", defaultKey: "1MB.bin");
        Assert.Equal("1MB.bin", custom.Requests[0].Key);
    }

    [Theory]
    [InlineData("0\t1.0\tGET\tk\nx\t2.0\tGET\tk\n", 2, "id 'x' is not an integer")]
    [InlineData("0\t1.0\tGET\tk\n\n# c\n1\tsoon\tGET\tk\n", 4, "offset 'soon'")]
    [InlineData("0\t1.0\tPUT\tk\n", 1, "method 'PUT' is not supported")]
    [InlineData("0 1.0 GET k\n", 1, "found 1")]
    [InlineData("0\t-3\tGET\tk\n", 1, "non-negative")]
    public void Bad_lines_give_line_numbered_errors(string text, int line, string message)
    {
        var ex = Assert.Throws<TraceFormatException>(() => TraceFormat.Parse(new StringReader(text), "bad.txt"));
        Assert.Equal(line, ex.LineNumber);
        Assert.StartsWith($"bad.txt:{line}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_then_parse_round_trips_with_duration()
    {
        var trace = ZipfTraceGenerator.Generate(5, 1.0, 30, 10, 9);
        var sw = new StringWriter();
        TraceFormat.Write(trace, sw);
        var back = TraceFormat.Parse(new StringReader(sw.ToString()), "x");
        Assert.Equal(trace.Duration, back.Duration);
        Assert.Equal(trace.Requests.Select(r => (r.OffsetSeconds, r.Key)), back.Requests.Select(r => (r.OffsetSeconds, r.Key)));
    }

    [Fact]
    public void Duration_comes_from_the_thesis_file_name_or_the_last_request()
    {
        Assert.Equal(TimeSpan.FromMinutes(30), TraceFormat.Load(ThesisTraces.Path("30-poisson-3.txt")).Duration);
        Assert.Equal(TimeSpan.FromMinutes(2), TraceFormat.Parse(new StringReader("0\t61\tGET\tk\n"), "x").Duration);
    }

    [Fact]
    public void Generators_are_seeded_and_reproducible()
    {
        Assert.Equal(PoissonTraceGenerator.Generate(30, 3, 5).Requests, PoissonTraceGenerator.Generate(30, 3, 5).Requests);
        Assert.NotEqual(PoissonTraceGenerator.Generate(30, 3, 5).Requests, PoissonTraceGenerator.Generate(30, 3, 6).Requests);
        var spike = SpikeTraceGenerator.Generate(150, 50, 1);
        Assert.Equal(150, spike.Count);
        Assert.Equal(10.0, spike.Requests[0].OffsetSeconds, 3);
        var poisson = PoissonTraceGenerator.Generate(60, 4, 2);
        Assert.InRange(poisson.Count, 180, 300); // 240 expected
        Assert.All(poisson.Requests, r => Assert.Equal(Math.Round(r.OffsetSeconds), r.OffsetSeconds));
        var zipf = ZipfTraceGenerator.Generate(10, 1.2, 600, 10, 4);
        var top = zipf.Requests.GroupBy(r => r.Key).OrderByDescending(g => g.Count()).First().Key;
        Assert.Equal("object-0001", top);
    }
}
