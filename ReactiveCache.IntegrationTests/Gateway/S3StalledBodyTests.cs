using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ReactiveCache.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ReactiveCache.IntegrationTests.Gateway;

/// <summary>
/// S3 sends an object's headers and then stalls its body (a streamed, large object): the gateway gives the read up
/// after <c>Origin:BodyIdleTimeoutMs</c>. A client that got nothing yet is answered 504 problem+json; one whose body
/// had started has its connection aborted, never a short 200. Either way well before the stall ends.
/// </summary>
[Collection(nameof(TimingSensitive))]
public sealed class S3StalledBodyTests(S3rverFixture s3, ITestOutputHelper output) : IClassFixture<S3rverFixture>
{
    private const string Key = "faults/stalled-large.bin";
    private const int IdleTimeoutMs = 1_000;

    /// <summary>Far beyond the idle timeout: an answer within <see cref="Bound"/> can only come from it.</summary>
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(30);

    /// <summary>The idle timeout plus scheduling on a loaded 2-core machine.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task A_body_that_stalls_is_a_504_before_the_first_byte_and_an_aborted_connection_after_it()
    {
        var content = new byte[1 << 20];
        Random.Shared.NextBytes(content);
        using (var client = s3.CreateClient())
        {
            await S3rverFixture.PutAsync(client, Key, content);
        }

        await using var proxy = await FaultyS3Proxy.StartAsync(s3.ServiceUrl);
        proxy.HangFor = Stall;
        await using var gateway = new GatewayFactory(s3, settings: new Dictionary<string, string?>
        {
            ["ObjectStore:ServiceUrl"] = proxy.ServiceUrl,
            ["ObjectStore:AttemptTimeoutMs"] = "5000",
            // The object is streamed (not read whole under the origin deadline).
            ["Origin:CoalesceMaxBytes"] = "65536",
            ["Origin:BodyIdleTimeoutMs"] = IdleTimeoutMs.ToString(),
            // Well beyond the bound: a 504 within it is the idle timeout's, not the request deadline's.
            ["Limits:RequestDeadlineMs"] = "25000",
        });
        using var http = gateway.CreateClient();
        http.Timeout = TimeSpan.FromSeconds(60);
        using (var warm = await http.GetAsync("/objects/" + Key))
        {
            Assert.Equal(content, await warm.Content.ReadAsByteArrayAsync());
        }

        // Headers, then nothing: the client got nothing yet, so it gets a clear 504.
        proxy.Fault = S3Fault.StallBody;
        proxy.StallAfterBytes = 0;
        var clock = Stopwatch.StartNew();
        using (var response = await http.GetAsync("/objects/" + Key))
        {
            var body = await response.Content.ReadAsStringAsync();
            output.WriteLine($"stall after the headers: {(int)response.StatusCode} after {clock.ElapsedMilliseconds} ms: {body}");
            Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.EndsWith("/origin-timeout", JsonDocument.Parse(body).RootElement.GetProperty("type").GetString());
            Assert.True(clock.Elapsed < Bound, $"answered after {clock.Elapsed}");
        }

        // 256 KiB of the body, then nothing: the client's connection is aborted, never a short 200.
        proxy.StallAfterBytes = 256 * 1_024;
        clock.Restart();
        long received = 0;
        var broken = await Record.ExceptionAsync(async () =>
        {
            using var response = await http.GetAsync("/objects/" + Key, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1_024];
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                Assert.True(buffer.AsSpan(0, read).SequenceEqual(content.AsSpan((int)received, read)), "the bytes are the object's");
                received += read;
            }
        });
        output.WriteLine($"stall after 256 KiB: {broken?.GetType().Name} after {clock.ElapsedMilliseconds} ms, {received} bytes received: {broken?.Message}");
        Assert.True(broken is HttpRequestException or IOException, $"the body broke off (not a short 200): {broken}");
        Assert.True(received < content.Length);
        Assert.True(clock.Elapsed < Bound, $"broken off after {clock.Elapsed}");

        // S3 is well again: so is the gateway.
        proxy.Fault = S3Fault.None;
        using (var again = await http.GetAsync("/objects/" + Key))
        {
            Assert.Equal(content, await again.Content.ReadAsByteArrayAsync());
        }
    }
}
