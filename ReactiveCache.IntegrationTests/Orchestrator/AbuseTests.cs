using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ReactiveCache.Core.Functions;
using ReactiveCache.Core.Link;
using ReactiveCache.Domain.Policy;
using ReactiveCache.IntegrationTests.Infrastructure;
using ReactiveCache.Orchestrator.Control;
using ReactiveCache.Orchestrator.Functions;
using ReactiveCache.Orchestrator.Gateways;
using Xunit.Abstractions;

namespace ReactiveCache.IntegrationTests.Orchestrator;

/// <summary>
/// The orchestrator under a flood (its real Program in memory, request events fed where the gateways' links put
/// them): a hundred thousand distinct existing keys requested once each leave its per-key state and its memory
/// bounded, and a burst of keys that each want a function starts no more at once than the cap. Runs alone: it
/// measures the process's heap.
/// </summary>
[Collection(nameof(TimingSensitive))]
public sealed class AbuseTests(ITestOutputHelper output)
{
    private const int DistinctKeys = 100_000;
    private const int MaxTrackedKeys = 10_000;
    private const int MaxConcurrentInvocations = 10;

    /// <summary>What the heap may grow by, at most, after the flood (the state of 100 000 keys would be several times this).</summary>
    private const long MaxHeapGrowthBytes = 40L * 1024 * 1024;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_hundred_thousand_distinct_keys_leave_the_state_and_the_heap_bounded_and_start_no_more_functions_than_the_cap()
    {
        var invoker = new HoldingInvoker(TimeSpan.FromMilliseconds(500));
        using var factory = new OrchestratorFactory(invoker, new Dictionary<string, string?>
        {
            ["Policy:Kind"] = "Thesis",
            ["Policy:MaxTrackedKeys"] = MaxTrackedKeys.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Function:MaxConcurrentInvocations"] = MaxConcurrentInvocations.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var client = factory.Client(OrchestratorFactory.ReadKey);
        var sessions = factory.Services.GetRequiredService<GatewaySessions>();
        var policy = factory.Services.GetRequiredService<ICachePolicy>();
        var states = factory.Services.GetRequiredService<ObjectStates>();
        var launcher = factory.Services.GetRequiredService<FunctionLauncher>();
        var heapBefore = Heap();

        // Each key once, as existing objects (200): no key is hot, nothing is worth keeping.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < DistinctKeys; i++)
        {
            sessions.Events.Writer.TryWrite(Event($"flood/{i:D6}", now));
        }

        await Eventually.HoldsAsync(() => states.Count + states.Forgotten >= DistinctKeys, Wait, "every key of the flood processed",
            () => $"{states.Count} tracked, {states.Forgotten} forgotten, {sessions.EventsDropped} dropped");
        var heapAfter = Heap();
        var page = JsonDocument.Parse(await client.GetStringAsync("/state?limit=1")).RootElement;
        output.WriteLine($"flood of {DistinctKeys} distinct keys: policy tracks {policy.Keys.Count}, projection {states.Count} (forgot {states.Forgotten}), " +
                         $"events dropped {sessions.EventsDropped}, functions started {launcher.Started}; heap {heapBefore / 1e6:F1} MB before, {heapAfter / 1e6:F1} MB after " +
                         $"(+{(heapAfter - heapBefore) / 1e6:F1} MB)");

        Assert.InRange(policy.Keys.Count, 1, MaxTrackedKeys);
        Assert.InRange(states.Count, 1, MaxTrackedKeys);
        Assert.Equal(MaxTrackedKeys, page.GetProperty("tracked").GetInt32());
        Assert.True(heapAfter - heapBefore < MaxHeapGrowthBytes, $"the heap grew by {(heapAfter - heapBefore) / 1e6:F1} MB");
        Assert.Equal(0, launcher.Started);

        // Then a burst of keys that each want a function (two requests close together, the thesis's trigger).
        now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < 2_000; i++)
        {
            sessions.Events.Writer.TryWrite(Event($"burst/{i:D4}", now));
            sessions.Events.Writer.TryWrite(Event($"burst/{i:D4}", now + 1));
        }

        await Eventually.HoldsAsync(() => launcher.Started + launcher.Refused >= 2_000, Wait, "every burst key's invocation started or refused",
            () => $"{launcher.Started} started, {launcher.Refused} refused");
        output.WriteLine($"burst of 2000 keys wanting a function: at most {invoker.MostAtOnce} invocations at once (cap {MaxConcurrentInvocations}), " +
                         $"{launcher.Started} started, {launcher.Refused} refused at the cap");

        Assert.InRange(invoker.MostAtOnce, 1, MaxConcurrentInvocations);
        Assert.True(launcher.Refused > 0);
    }

    private static RequestEvent Event(string key, long receivedUnixMs) =>
        new() { Key = key, ReceivedUnixMs = receivedUnixMs, ServedBy = Layer.S3, StatusCode = 200 };

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>A Lambda service whose functions each live a while; it counts how many run at once.</summary>
    private sealed class HoldingInvoker(TimeSpan life) : IFunctionInvoker
    {
        private int _running;
        private int _most;

        public int MostAtOnce => Volatile.Read(ref _most);

        public async Task<FunctionInvocation> InvokeAsync(FunctionPayload payload, FunctionInvocationType type, CancellationToken cancellationToken)
        {
            var running = Interlocked.Increment(ref _running);
            int most;
            while (running > (most = Volatile.Read(ref _most)) && Interlocked.CompareExchange(ref _most, running, most) != most)
            {
            }

            try
            {
                await Task.Delay(life, cancellationToken);
                var result = new FunctionResult(payload.InvocationId, payload.Keys, 0, "tick", (long)life.TotalMilliseconds, Warm: false);
                return new FunctionInvocation(200, payload.InvocationId, null, JsonSerializer.SerializeToUtf8Bytes(result, FunctionJsonContext.Default.FunctionResult));
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }
}
