using ReactiveCache.Domain.Traces;
using ReactiveCache.Domain.Traces.Logs;

namespace ReactiveCache.UnitTests.Domain.Traces;

public sealed class AccessLogTests
{
    private const string Combined =
        "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET /a.png HTTP/1.0\" 200 2326 \"http://x/\" \"Mozilla\"\n" +
        "1.2.3.4 - - [10/Oct/2000:13:55:40 -0700] \"GET /b.css?v=2 HTTP/1.0\" 200 10\n" +
        "1.2.3.4 - - [10/Oct/2000:13:55:41 -0700] \"POST /a.png HTTP/1.0\" 200 10\n" +
        "1.2.3.4 - - [10/Oct/2000:13:56:36 -0700] \"GET /a.png HTTP/1.1\" 304 -\n";

    private const string S3 =
        "79a5 mybucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a5 3E57427F3EXAMPLE REST.GET.OBJECT photos/x.jpg \"GET /mybucket/photos/x.jpg HTTP/1.1\" 200 - 113 113 7 - \"-\" \"S3Console/0.4\" -\n" +
        "79a5 mybucket [06/Feb/2019:00:00:40 +0000] 192.0.2.3 79a5 3E57427F3EXAMPLE REST.PUT.OBJECT photos/y.jpg \"PUT /mybucket/photos/y.jpg HTTP/1.1\" 200 - - 113 7 - \"-\" \"S3Console/0.4\" -\n" +
        "79a5 mybucket [06/Feb/2019:00:01:00 +0000] 192.0.2.3 79a5 3E57427F3EXAMPLE REST.GET.OBJECT photos/x.jpg \"GET /mybucket/photos/x.jpg HTTP/1.1\" 200 - 113 113 7 - \"-\" \"S3Console/0.4\" -\n";

    [Fact]
    public void Combined_log_becomes_a_trace_of_GETs()
    {
        var trace = AccessLogConverter.ToTrace(new StringReader(Combined), "web");
        Assert.Equal([(0.0, "a.png"), (4.0, "b.css"), (60.0, "a.png")], trace.Requests.Select(r => (r.OffsetSeconds, r.Key)));
    }

    [Fact]
    public void Rank_keeps_the_r_th_most_requested_key()
    {
        var trace = AccessLogConverter.ToTrace(new StringReader(Combined), "web", rank: 1);
        Assert.Equal(["a.png"], trace.Keys);
        Assert.Equal(2, trace.Count);
        Assert.Throws<ArgumentException>(() => AccessLogConverter.ToTrace(new StringReader(Combined), "web", rank: 3));
    }

    [Fact]
    public void S3_server_access_log_keeps_object_GETs()
    {
        var trace = AccessLogConverter.ToTrace(new StringReader(S3), "s3");
        Assert.Equal([(0.0, "photos/x.jpg"), (22.0, "photos/x.jpg")], trace.Requests.Select(r => (r.OffsetSeconds, r.Key)));
    }

    [Fact]
    public void Garbage_gives_a_line_numbered_error()
    {
        var ex = Assert.Throws<TraceFormatException>(() => AccessLogConverter.ToTrace(new StringReader(Combined + "not a log line\n"), "web"));
        Assert.Equal(5, ex.LineNumber);
    }
}
