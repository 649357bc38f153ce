using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polly.Timeout;
using ReactiveCache.Gateway.Origin;

namespace ReactiveCache.UnitTests.Gateway.Origin;

/// <summary>
/// The guard tells a deadline as a deadline whatever the cancelled call threw: an HTTP stack cancelled mid-request
/// may throw an <see cref="IOException"/>, and that must be a 504 (origin-timeout), not a 502 (origin-unavailable).
/// </summary>
public sealed class OriginGuardTests
{
    private readonly FakeTimeProvider _time = new();

    private OriginGuard Guard() => new(Options.Create(new OriginOptions { DeadlineMs = 1_000 }), _time);

    /// <summary>A call that hangs until its token is cancelled, then fails the way a cancelled socket read does.</summary>
    private static async ValueTask<int> HangThenFailAsync(TaskCompletionSource entered, CancellationToken token)
    {
        entered.TrySetResult();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = token.Register(() => cancelled.TrySetResult());
        await cancelled.Task;
        throw new IOException("Unable to read data from the transport connection: Operation canceled.");
    }

    [Fact]
    public async Task A_call_that_fails_with_an_io_error_once_the_deadline_cancelled_it_is_a_timeout()
    {
        await using var guard = Guard();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var run = guard.RunAsync(static (e, token) => HangThenFailAsync(e, token), entered, CancellationToken.None).AsTask();
        await entered.Task;
        _time.Advance(TimeSpan.FromMilliseconds(1_000));

        var timeout = await Assert.ThrowsAsync<TimeoutRejectedException>(() => run);
        Assert.IsType<IOException>(timeout.InnerException?.InnerException ?? timeout.InnerException);
    }

    [Fact]
    public async Task A_call_that_fails_with_an_io_error_before_the_deadline_keeps_its_error()
    {
        await using var guard = Guard();

        var failure = await Assert.ThrowsAsync<IOException>(() =>
            guard.RunAsync<int, int>(static (_, _) => throw new IOException("connection reset"), 0, CancellationToken.None).AsTask());

        Assert.Equal("connection reset", failure.Message);
    }

    [Fact]
    public async Task A_call_the_caller_cancelled_is_the_callers_cancellation_not_a_timeout()
    {
        await using var guard = Guard();
        using var caller = new CancellationTokenSource();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var run = guard.RunAsync(static (e, token) => HangThenFailAsync(e, token), entered, caller.Token).AsTask();
        await entered.Task;
        await caller.CancelAsync();

        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.IsNotType<TimeoutRejectedException>(cancelled);
    }
}
