using System.Diagnostics;
using System.Net;
using ReactiveCache.Core.Hosting;
using ReactiveCache.Core.Objects;
using ReactiveCache.IntegrationTests.Infrastructure;

namespace ReactiveCache.IntegrationTests.AppHost;

/// <summary>
/// The README's run command, for real: <c>dotnet run --project ReactiveCache.AppHost</c> (http profile)
/// brings up the dashboard at http://localhost:18888 without a login and the gateway at http://localhost:4000.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class RunCommandTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_run_command_serves_the_dashboard_and_the_gateway_on_the_documented_urls()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "run", "--project", "ReactiveCache.AppHost", "--no-build" })
        {
            info.ArgumentList.Add(arg);
        }

        info.LeaveToChild(); // as a user runs it, without the test process's socket setting
        using var process = Process.Start(info)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow + StartTimeout;

            var dashboard = await PollAsync(http, "http://localhost:18888/", deadline, output);
            Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
            // Anonymous: the page itself, not a redirect to the token login.
            Assert.DoesNotContain("/login", dashboard.RequestMessage!.RequestUri!.AbsolutePath);

            var index = await PollAsync(http, "http://localhost:4000/objects/index.html", deadline, output);
            Assert.Equal(HttpStatusCode.OK, index.StatusCode);
            Assert.Equal("s3", Assert.Single(index.Headers.GetValues("Content-Origin")));
            Assert.Equal(SampleObjects.All["index.html"], await index.Content.ReadAsByteArrayAsync());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task<HttpResponseMessage> PollAsync(HttpClient http, string url, DateTime deadline, System.Text.StringBuilder output)
    {
        while (true)
        {
            try
            {
                var response = await http.GetAsync(url);
                if (response.StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline)
                {
                    response.Dispose();
                    await Task.Delay(500);
                    continue;
                }

                return response;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                string log;
                lock (output)
                {
                    log = output.ToString();
                }

                throw new TimeoutException($"{url} did not answer within {StartTimeout}. AppHost output:\n{log}", e);
            }
        }
    }
}
