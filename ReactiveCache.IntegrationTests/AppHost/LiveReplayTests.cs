using Aspire.Hosting.Testing;
using ReactiveCache.Cli;
using ReactiveCache.Cli.Results;

namespace ReactiveCache.IntegrationTests.AppHost;

/// <summary>
/// <c>reactive-cache replay</c> of the thesis's latency trace against the running AppHost, then
/// <c>reactive-cache report</c> over its result: the run completes and the report shows the layers used.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class LiveReplayTests(AppHostFixture fixture) : IDisposable
{
    private readonly DirectoryInfo _out = Directory.CreateTempSubdirectory("replay-");

    [Fact]
    public async Task Replaying_the_latency_trace_live_completes_and_reports_the_layers_used()
    {
        var gateway = fixture.App.GetEndpoint("gateway", "http").ToString().TrimEnd('/');
        var result = Path.Combine(_out.FullName, "live.json");

        // 30 GETs 10 s apart in the trace; ×10 they are 1 s apart, close enough for the short policy to react.
        var replay = await CliApp.Build().Parse(
        [
            "replay", "--target", gateway, "--trace", ThesisTraces.Path("5-latency-30.txt"),
            "--key", AppHostFixture.ReplayObject, "--speed", "10", "--output", result,
        ]).InvokeAsync();
        Assert.Equal(0, replay);

        var document = ResultFiles.Load(result);
        Assert.Equal(30, document.Requests);
        Assert.NotNull(document.RequestRows);
        var layers = document.RequestRows.Select(r => r.Layer).Distinct().ToList();
        Assert.DoesNotContain("failed", layers);
        Assert.Contains("s3", layers);
        Assert.Contains("lambda", layers);
        Assert.True(document.HitPercent > 0);

        var report = await CliApp.Build().Parse(["report", "--input", result, "--output", _out.FullName]).InvokeAsync();
        Assert.Equal(0, report);
        var markdown = await File.ReadAllTextAsync(Directory.GetFiles(_out.FullName, "*.md").Single());
        Assert.Contains("replay", markdown);
        Assert.True(File.Exists(Path.Combine(_out.FullName, "timeline-1.png")), "the per-request timeline coloured by layer");
    }

    public void Dispose() => _out.Delete(recursive: true);
}
