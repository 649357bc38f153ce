using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ReactiveCache.Core.Functions;

namespace ReactiveCache.IntegrationTests.Lambda;

/// <summary>The thesis's life rules, live: one TICK, +1 TICK per served GET, keepRunning holds, shutdown ends, timeout ends.</summary>
[Collection(FunctionCollection.Name)]
public sealed class FunctionLifeTests(FunctionFixture fixture)
{
    // Short, but long enough that a cold JIT function on a busy CI machine serves its first GET within it.
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1000);

    [Fact]
    public async Task Without_requests_the_life_is_one_tick()
    {
        var result = await InvokeAndWaitAsync("life", fixture.Payload("100B.txt", Tick, control: false));

        Assert.Equal("tick", result.EndedBy);
        Assert.Equal(0, result.Served);
        Assert.InRange(result.LifeMs, Tick.TotalMilliseconds, Tick.TotalMilliseconds + 750);
    }

    [Fact]
    public async Task Each_served_get_extends_the_life_by_one_tick()
    {
        const string key = "100B.txt";
        var invoke = InvokeAndWaitAsync("life", fixture.Payload(key, Tick, control: false));
        await fixture.WaitForLambdaAsync(key);

        // Two more TICKs of GETs, one every half TICK: the life must outlast them.
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < 2 * Tick)
        {
            using var response = await fixture.Gateway.GetAsync($"/objects/{key}");
            Assert.Equal("lambda", FunctionFixture.Origin(response));
            await Task.Delay(Tick / 2);
        }

        var result = await invoke;
        Assert.Equal("tick", result.EndedBy);
        Assert.True(result.Served >= 4, $"served {result.Served}");
        // Every served GET added a TICK to the deadline (thesis: due = due + TICK): life = (1 + GETs) TICKs.
        var expected = (1 + result.Served) * Tick.TotalMilliseconds;
        Assert.InRange(result.LifeMs, expected - 50, expected + 500);
    }

    [Fact]
    public async Task KeepRunning_holds_the_function_up_and_shutdown_ends_it()
    {
        const string key = "index.html";
        // A longer TICK here: keepRunning can only arrive once the control stream is up, which a cold JIT start
        // on a loaded machine (the other test collections run alongside) has taken more than one second to reach.
        var tick = 2.5 * Tick;
        var invoke = InvokeAndWaitAsync("control", fixture.Payload(key, tick));
        // Sent at once: the orchestrator keeps it for the function until its control stream connects.
        fixture.Control.Control.KeepRunning(key);
        await WaitForControlStreamAsync(key);
        await fixture.WaitForLambdaAsync(key);

        await Task.Delay(3 * tick);
        Assert.False(invoke.IsCompleted, "keepRunning: the TICK deadline no longer ends the life");
        using (var held = await fixture.Gateway.GetAsync($"/objects/{key}"))
        {
            Assert.Equal("lambda", FunctionFixture.Origin(held));
        }

        var watch = Stopwatch.StartNew();
        Assert.True(fixture.Control.Control.Shutdown(key));
        var result = await invoke;
        Assert.Equal("shutdown", result.EndedBy);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"shutdown took {watch.Elapsed}");
        Assert.True(result.LifeMs > 3 * tick.TotalMilliseconds);
        using var after = await fixture.Gateway.GetAsync($"/objects/{key}");
        Assert.Equal("s3", FunctionFixture.Origin(after));
    }

    [Fact]
    public async Task The_life_ends_before_the_function_timeout()
    {
        var result = await InvokeAndWaitAsync("short", fixture.Payload("100B.txt", TimeSpan.FromSeconds(10), control: false));

        // Ended by itself (not killed by the emulator at its timeout), leaving its margin (Function:DeadlineMargin,
        // 500 ms) before the deadline, which counts from the invoke (a cold start eats into it, as in Lambda).
        Assert.Equal("timeout", result.EndedBy);
        Assert.InRange(result.LifeMs, 1, FunctionFixture.ShortTimeout.TotalMilliseconds - 500);
    }

    private async Task WaitForControlStreamAsync(string key)
    {
        var watch = Stopwatch.StartNew();
        while (!fixture.Control.Control.Connected.Any(c => c.Keys.Contains(key)))
        {
            Assert.True(watch.Elapsed < FunctionFixture.Wait, $"no control stream for {key}\n{fixture.Logs}");
            await Task.Delay(10);
        }
    }

    private async Task<FunctionResult> InvokeAndWaitAsync(string function, FunctionPayload payload)
    {
        using var response = await fixture.InvokeAsync(function, payload, "RequestResponse");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Amz-Function-Error"), $"{await response.Content.ReadAsStringAsync()}\n{fixture.Logs}");
        return (await response.Content.ReadFromJsonAsync(FunctionJsonContext.Default.FunctionResult))!;
    }
}
