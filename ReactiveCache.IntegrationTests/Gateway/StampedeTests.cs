using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ReactiveCache.Gateway.Telemetry;
using ReactiveCache.IntegrationTests.Infrastructure;

namespace ReactiveCache.IntegrationTests.Gateway;

/// <summary>Concurrent misses on one key share one origin fetch.</summary>
public sealed class StampedeTests : IClassFixture<S3rverFixture>
{
    private readonly S3rverFixture _s3;

    public StampedeTests(S3rverFixture s3)
    {
        _s3 = s3;
    }

    [Fact]
    public async Task A_hundred_concurrent_gets_of_a_cold_key_make_exactly_one_origin_fetch()
    {
        var content = new byte[64 * 1024];
        Random.Shared.NextBytes(content);
        using (var client = _s3.CreateClient())
        {
            await S3rverFixture.PutAsync(client, "stampede/cold.bin", content);
        }

        await using var gateway = new GatewayFactory(_s3);
        using var http = gateway.CreateClient();
        var telemetry = gateway.Services.GetRequiredService<GatewayTelemetry>();
        using var coalesced = new CounterTotal(telemetry.Meter, "reactivecache.gateway.coalesced_fetches");

        // Hold the origin fetch until all the other requests have joined it.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gateway.Store.Gate = gate;
        var requests = Enumerable.Range(0, 100).Select(_ => http.GetAsync("/objects/stampede/cold.bin")).ToArray();
        await Eventually.HoldsAsync(() => coalesced.Total == 99, TimeSpan.FromSeconds(20), "99 requests joined the fetch");
        gate.SetResult();
        var responses = await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, gateway.Store.Gets);
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
            response.Dispose();
        }
    }

    [Fact]
    public async Task Objects_over_the_coalescing_limit_are_streamed_to_each_client_on_its_own()
    {
        var content = new byte[300 * 1024];
        Random.Shared.NextBytes(content);
        using (var client = _s3.CreateClient())
        {
            await S3rverFixture.PutAsync(client, "stampede/large.bin", content);
        }

        await using var gateway = new GatewayFactory(_s3, settings: new Dictionary<string, string?> { ["Origin:CoalesceMaxBytes"] = "65536" });
        using var http = gateway.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => http.GetAsync("/objects/stampede/large.bin"))).WaitAsync(TimeSpan.FromSeconds(30));

        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
            response.Dispose();
        }

        // Every request got the whole object; no request shared another's stream.
        Assert.InRange(gateway.Store.Gets, 5, 10);
    }
}
