using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace ReactiveCache.IntegrationTests.AppHost;

/// <summary>
/// The AppHost with no <c>Policy</c> setting at all: the orchestrator runs its default policy
/// (<see cref="Domain.Policy.Default.DefaultPolicy"/>) with the local node's start-up model (boot delay 2 s).
/// </summary>
public sealed class DefaultPolicyAppHostFixture : AppHostFixture
{
    protected override IReadOnlyList<string> Policy => [];
}

[CollectionDefinition(Name)]
public sealed class DefaultPolicyAppHostCollection : ICollectionFixture<DefaultPolicyAppHostFixture>
{
    public const string Name = "AppHost with the default policy";
}

/// <summary>The orchestrator's default policy live on the whole AppHost: keys hot at the same time share the node.</summary>
[Collection(DefaultPolicyAppHostCollection.Name)]
public sealed class DefaultPolicyAppHostTests(DefaultPolicyAppHostFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(300);
    // Generous: a loaded 2-core machine (the whole suite runs in parallel) slows cold starts and boots.
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task Two_keys_hot_at_the_same_time_are_both_served_by_the_node()
    {
        string[] keys = ["hot-a.txt", "hot-b.txt"];
        using var gateway = fixture.CreateGatewayClient();
        var control = new ControlApiClient(fixture.CreateOrchestratorClient());
        using (var orchestrator = fixture.CreateOrchestratorClient())
        {
            var config = await orchestrator.GetFromJsonAsync<JsonElement>("/config");
            Assert.Equal("Default", config.GetProperty("policy").GetProperty("kind").GetString());
        }

        var last = new Dictionary<string, string>();
        var origins = new List<string>();
        var clock = Stopwatch.StartNew();
        while (keys.Any(k => last.GetValueOrDefault(k) != "redis"))
        {
            Assert.True(clock.Elapsed < Limit, $"not both on Redis within {Limit}: {string.Join(", ", last)}; origins {string.Join(",", origins)}");
            foreach (var key in keys)
            {
                using var response = await gateway.GetAsync($"/objects/{key}");
                Assert.True(response.IsSuccessStatusCode);
                last[key] = Assert.Single(response.Headers.GetValues("Content-Origin"));
                origins.Add(last[key]);
            }

            await Task.Delay(Gap);
        }

        output.WriteLine($"both on the node after {clock.Elapsed.TotalSeconds:0.0} s; origins {string.Join(",", origins)}");
        foreach (var key in keys)
        {
            Assert.Equal("RedisRunning", await control.StateOfAsync(key));
        }

        Assert.Equal("Running", (await control.NodeAsync()).State);

        // The dashboard's cache-node resource follows the orchestrator.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var resource = await fixture.App.ResourceNotifications.WaitForResourceAsync("cache-node",
            e => e.Snapshot.State?.Text is "Running" or "Draining" or "Stopping", cts.Token);
        Assert.Equal("CacheNode", resource.Snapshot.ResourceType);
    }
}
