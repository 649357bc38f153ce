using ReactiveCache.Lambda.Invocations;

namespace ReactiveCache.Lambda.Runtime;

/// <summary>
/// The custom runtime's loop: <c>next</c> → handle → <c>response</c> (or <c>error</c>), one invocation at a
/// time, for as long as the execution environment lives. Each invocation is cancelled at its deadline.
/// </summary>
public sealed class RuntimeLoop(RuntimeApiClient runtime, InvocationHandler handler, TimeProvider time, ILogger<RuntimeLoop> logger)
{
    public async Task<int> RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            RuntimeInvocation invocation;
            try
            {
                invocation = await runtime.NextAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return 0;
            }
            catch (HttpRequestException e)
            {
                // The Runtime API is gone: so is the execution environment.
                logger.LogError("The Runtime API is unreachable ({Error}); the environment ends.", e.Message);
                return 1;
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                // One event that cannot be read (no request id, say) is passed over: the next may be fine.
                logger.LogError("The Runtime API sent an event that cannot be read ({Error}); waiting for the next.", e.Message);
                continue;
            }

            var remaining = invocation.Deadline - time.GetUtcNow();
            using var atDeadline = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, time);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping, atDeadline.Token);
            try
            {
                var result = await handler.HandleAsync(invocation, deadline.Token);
                await runtime.RespondAsync(invocation.RequestId, result, stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                logger.LogError("Invocation {Invocation} failed: {Error}", invocation.RequestId, e.Message);
                try
                {
                    await runtime.ErrorAsync(invocation.RequestId, e, stopping);
                }
                catch (HttpRequestException posting)
                {
                    logger.LogError("Could not report the error to the Runtime API: {Error}", posting.Message);
                    return 1;
                }
                catch (Exception posting) when (!stopping.IsCancellationRequested)
                {
                    // The API is still there (that would be an HttpRequestException): go on with the next invocation.
                    logger.LogError("Could not report the error of {Invocation}: {Error}", invocation.RequestId, posting.Message);
                }
            }
        }

        return 0;
    }
}
