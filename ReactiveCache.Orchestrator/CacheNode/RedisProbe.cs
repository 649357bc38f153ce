using StackExchange.Redis;

namespace ReactiveCache.Orchestrator.CacheNode;

/// <summary>Asks a Redis-protocol server for PING (signed in) until it answers.</summary>
public interface IRedisProbe
{
    /// <summary>Returns when the node at <paramref name="endpoint"/> answers PONG; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    Task WaitUntilReadyAsync(CacheNodeEndpoint endpoint, CacheNodeCredential credential, TimeSpan timeout, CancellationToken cancellationToken);
}

public sealed class RedisProbe(TimeProvider time) : IRedisProbe
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(200);

    public async Task WaitUntilReadyAsync(CacheNodeEndpoint endpoint, CacheNodeCredential credential, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        Exception? last = null;
        while (time.GetUtcNow() < deadline)
        {
            try
            {
                var options = credential.ConnectTo(endpoint);
                options.AbortOnConnectFail = true;
                options.ConnectTimeout = 1000;
                options.ConnectRetry = 0;
                await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
                await connection.GetDatabase().PingAsync();
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException or System.Net.Sockets.SocketException)
            {
                last = e;
                await Task.Delay(Retry, time, cancellationToken);
            }
        }

        throw new TimeoutException($"The cache node at {endpoint} did not answer PING within {timeout}.", last);
    }
}
