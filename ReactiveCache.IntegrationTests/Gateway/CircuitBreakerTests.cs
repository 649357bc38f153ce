using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;
using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Routing;
using ReactiveCache.Gateway.Layers;
using ReactiveCache.IntegrationTests.Infrastructure;
using ReactiveCache.Domain;

namespace ReactiveCache.IntegrationTests.Gateway;

/// <summary>
/// A layer that keeps failing is skipped (circuit open) and tried again after the break, through the
/// gateway's HTTP path. The gateway runs on a fake clock: the break ends when the test moves it. (The
/// breakers' own timing, without a server: LayerCircuitBreakersTests in the unit tests.)
/// </summary>
public sealed class CircuitBreakerTests(S3rverFixture s3) : IClassFixture<S3rverFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_failing_function_opens_its_circuit_and_requests_skip_it_until_the_break_ends()
    {
        const string key = "1KB.txt";
        var lambda = new FakeLambdaLayer { FailBeforeFirstByte = true };
        var breakDuration = TimeSpan.FromSeconds(1);
        await using var gateway = await StartAsync(lambda, key, breakDuration);
        using var http = gateway.CreateClient();
        var breakers = gateway.Services.GetRequiredService<LayerCircuitBreakers>();

        for (var i = 0; i < 10; i++)
        {
            using var response = await http.GetAsync($"/objects/{key}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("s3", response.Headers.GetValues("Content-Origin").Single());
        }

        // Three failures opened the circuit: the other seven requests did not call the function.
        Assert.Equal(3, lambda.Calls);
        Assert.Equal(CircuitState.Open, breakers.StateOf(CacheLayer.Lambda));

        // The function works again, but until the break ends it is not asked.
        lambda.FailBeforeFirstByte = false;
        _clock.Advance(breakDuration - TimeSpan.FromMilliseconds(1));
        using (var response = await http.GetAsync($"/objects/{key}"))
        {
            Assert.Equal("s3", response.Headers.GetValues("Content-Origin").Single());
        }

        Assert.Equal(3, lambda.Calls);

        // After the break one trial call goes through; it succeeds, so the circuit closes.
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        using (var response = await http.GetAsync($"/objects/{key}"))
        {
            Assert.Equal("lambda", response.Headers.GetValues("Content-Origin").Single());
        }

        Assert.Equal(CircuitState.Closed, breakers.StateOf(CacheLayer.Lambda));
    }

    [Fact]
    public async Task Requests_their_clients_abandon_neither_open_the_circuit_nor_fall_back_to_s3()
    {
        const string key = "1KB.txt";
        var lambda = new FakeLambdaLayer { HangUntilClientLeaves = true };
        await using var gateway = await StartAsync(lambda, key, TimeSpan.FromMinutes(1));
        using var http = gateway.CreateClient();
        var breakers = gateway.Services.GetRequiredService<LayerCircuitBreakers>();
        var readsBefore = gateway.Store.Gets;

        // Clients that give up while the function is answering (a load generator stopping, a browser tab closed).
        for (var i = 1; i <= 6; i++)
        {
            using var leave = new CancellationTokenSource();
            var request = http.GetAsync($"/objects/{key}", leave.Token);
            await Eventually.HoldsAsync(() => Volatile.Read(ref lambda.Calls) == i || request.IsCompleted, Wait, "the function is asked");
            Assert.False(request.IsCompleted, $"request {i} was answered without the function (circuit {breakers.StateOf(CacheLayer.Lambda)})");
            await leave.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        }

        // Once the gateway has finished with the abandoned requests too: the function did not fail, so its
        // circuit stays closed, and nobody's request was read from S3.
        Assert.True(await gateway.Requests.WaitIdleAsync(Wait, TimeProvider.System, CancellationToken.None), "the abandoned requests end on the server");
        Assert.Equal(CircuitState.Closed, breakers.StateOf(CacheLayer.Lambda));
        Assert.Equal(readsBefore, gateway.Store.Gets);
        lambda.HangUntilClientLeaves = false;
        using var served = await http.GetAsync($"/objects/{key}");
        Assert.Equal("lambda", served.Headers.GetValues("Content-Origin").Single());
    }

    /// <summary>A gateway whose key is routed to <paramref name="lambda"/>, which holds it; three failures open the circuit.</summary>
    private async Task<GatewayFactory> StartAsync(FakeLambdaLayer lambda, string key, TimeSpan breakDuration)
    {
        using (var client = s3.CreateClient())
        {
            var store = new S3ObjectStore(client, Microsoft.Extensions.Options.Options.Create(s3.Options));
            lambda.Hold((await store.GetMetadataAsync(key))!, SampleObjects.All[key]);
        }

        var gateway = new GatewayFactory(s3, lambda: lambda, settings: new Dictionary<string, string?>
        {
            ["Layers:CircuitBreaker:MinimumThroughput"] = "3",
            ["Layers:CircuitBreaker:BreakDurationMs"] = ((int)breakDuration.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, time: _clock);
        gateway.Route(key, CacheLayer.Lambda);
        return gateway;
    }
}
