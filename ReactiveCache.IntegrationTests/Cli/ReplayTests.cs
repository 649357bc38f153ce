using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReactiveCache.IntegrationTests.Infrastructure;

namespace ReactiveCache.IntegrationTests.Cli;

/// <summary>
/// <c>replay</c> against an in-process HTTP server that answers like a gateway. Not run in parallel with the
/// CPU-heavy simulation tests: it checks wall-clock timing.
/// </summary>
[Collection(nameof(TimingSensitive))]
public sealed class ReplayTests : IAsyncLifetime
{
    private WebApplication? _app;
    private readonly List<(string Path, DateTimeOffset At)> _seen = [];
    private string _base = string.Empty;
    private int _n;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet("/objects/{**key}", (HttpContext context, string key) =>
        {
            lock (_seen)
            {
                _seen.Add((context.Request.Path.Value!, DateTimeOffset.UtcNow));
                _n++;
                context.Response.Headers["Content-Origin"] = _n <= 2 ? "s3" : _n <= 4 ? "lambda" : "redis";
            }

            return key == "missing" ? Results.NotFound() : Results.Text("hello " + key);
        });
        await _app.StartAsync();
        _base = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        // warm the HTTP stack (JIT, first connection) so the replay's first request is not late
        using var http = new HttpClient();
        await http.GetStringAsync(_base + "/objects/warm-up");
        lock (_seen)
        {
            _seen.Clear();
            _n = 0;
        }
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Replays_at_trace_times_and_records_layers()
    {
        string dir = Directory.CreateTempSubdirectory("replay").FullName;
        string trace = Path.Combine(dir, "t.txt");
        // 6 requests over 3 s of trace time, at speed 2 → 1.5 s; line 3 has no key (→ index.html)
        File.WriteAllText(trace, "0\t0.0\tGET\ta.txt\n1\t1.0\tGET\tdir/b c.bin\n2\t1.5\tGET\n3\t2.0\tGET\ta.txt\n4\t2.5\tGET\ta.txt\n5\t3.0\tGET\ta.txt\n");
        string result = Path.Combine(dir, "r.json");
        string csv = Path.Combine(dir, "r.csv");
        var (exit, output, error) = await CliRun.Run("replay", "--target", _base, "--trace", trace, "--speed", "2", "--output", result, "--requests", csv);
        Assert.True(exit == 0, output + error);
        Assert.Equal(6, _seen.Count);
        Assert.Contains(_seen, s => s.Path == "/objects/dir/b c.bin"); // sent escaped, decoded by the server
        Assert.Contains(_seen, s => s.Path == "/objects/index.html");
        var span = _seen.Max(s => s.At) - _seen.Min(s => s.At);
        Assert.InRange(span.TotalSeconds, 1.2, 4.0);

        using var doc = JsonDocument.Parse(File.ReadAllText(result));
        Assert.Equal("replay", doc.RootElement.GetProperty("source").GetString());
        Assert.Equal(6, doc.RootElement.GetProperty("requests").GetInt32());
        Assert.Equal(100.0 * 4 / 6, doc.RootElement.GetProperty("hitPercent").GetDouble(), 6);
        var layers = doc.RootElement.GetProperty("requestRows").EnumerateArray().Select(r => r.GetProperty("layer").GetString()).ToList();
        Assert.Equal(2, layers.Count(l => l == "s3"));
        Assert.Equal(2, layers.Count(l => l == "lambda"));
        Assert.Equal(2, layers.Count(l => l == "redis"));
        Assert.Equal(7, File.ReadAllLines(csv).Length);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task Unreachable_target_is_a_clear_error()
    {
        string trace = ThesisTraces.Path("5-latency-30.txt");
        var (exit, _, error) = await CliRun.Run("replay", "--target", "http://127.0.0.1:1", "--trace", trace, "--speed", "1000");
        Assert.Equal(1, exit);
        Assert.Contains("no request succeeded", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_reads_replay_and_simulate_results()
    {
        string dir = Directory.CreateTempSubdirectory("report").FullName;
        string sim = Path.Combine(dir, "sim.json");
        var (exit, _, error) = await CliRun.Run("simulate", "--trace", ThesisTraces.Path("60-1-ec2log.txt"), "--output", sim);
        Assert.True(exit == 0, error);
        string always = Path.Combine(dir, "always.json");
        (exit, _, error) = await CliRun.Run("simulate", "--trace", ThesisTraces.Path("60-1-ec2log.txt"), "--system", "always-on", "--output", always);
        Assert.True(exit == 0, error);
        string outDir = Path.Combine(dir, "out");
        (exit, _, error) = await CliRun.Run("report", "--input", sim, always, "--output", outDir);
        Assert.True(exit == 0, error);
        string md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("| 60-1-ec2log | thesis r3 s4 | simulate | 175 |", md, StringComparison.Ordinal);
        Assert.Contains("| 60-1-ec2log | always-on | simulate | 175 |", md, StringComparison.Ordinal);
        foreach (var file in new[] { "timeline-1.png", "timeline-1.svg", "cost-by-layer.png", "hit-vs-cost.png" })
        {
            var info = new FileInfo(Path.Combine(outDir, file));
            Assert.True(info.Exists && info.Length > 1000, file);
        }

        var png = File.ReadAllBytes(Path.Combine(outDir, "timeline-1.png"));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        Directory.Delete(dir, recursive: true);
    }
}
