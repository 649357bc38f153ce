using System.Diagnostics;

namespace ReactiveCache.Testing;

/// <summary>
/// The one way tests wait for something that happens on its own time (a process, a server, a stream): poll a
/// condition until it holds, and fail the test with what was awaited (and any diagnostics) when it does not in time.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Polls until <paramref name="condition"/> holds; fails the test after <paramref name="timeout"/>.</summary>
    public static Task HoldsAsync(Func<bool> condition, TimeSpan timeout, string what, Func<string>? diagnostics = null, TimeSpan? interval = null) =>
        HoldsAsync(() => Task.FromResult(condition()), timeout, what, diagnostics, interval);

    /// <summary>Polls until <paramref name="condition"/> holds; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string>? diagnostics = null, TimeSpan? interval = null)
    {
        if (!await TryHoldsAsync(condition, timeout, interval))
        {
            Fail(timeout, what, diagnostics);
        }
    }

    /// <summary>Polls <paramref name="probe"/> until it gives a value (not null); fails the test after <paramref name="timeout"/>.</summary>
    public static async Task<T> ReturnsAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, Func<string>? diagnostics = null, TimeSpan? interval = null)
        where T : class
    {
        T? found = null;
        await HoldsAsync(async () => (found = await probe()) is not null, timeout, what, diagnostics, interval);
        return found!;
    }

    /// <summary>Whether <paramref name="condition"/> comes to hold within <paramref name="timeout"/> (for tests that assert either way).</summary>
    public static async Task<bool> TryHoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(interval ?? DefaultInterval);
        }

        return true;
    }

    private static void Fail(TimeSpan timeout, string what, Func<string>? diagnostics) =>
        Assert.Fail($"Timed out after {timeout.TotalSeconds:F0} s waiting for: {what}" + (diagnostics is null ? "" : $"\n{diagnostics()}"));
}
