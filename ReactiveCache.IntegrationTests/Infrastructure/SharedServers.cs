namespace ReactiveCache.IntegrationTests.Infrastructure;

/// <summary>
/// Servers that live for the whole test run (one s3rver, one redis-server): started on first use, disposed when
/// the test process ends. A class fixture per test class would start one per class.
/// </summary>
internal static class SharedServers
{
    private static readonly List<IAsyncDisposable> Started = [];

    static SharedServers() => AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();

    public static async Task<T> StartAsync<T>(Func<Task<T>> start)
        where T : IAsyncDisposable
    {
        var server = await start();
        lock (Started)
        {
            Started.Add(server);
        }

        return server;
    }

    private static void StopAll()
    {
        IAsyncDisposable[] servers;
        lock (Started)
        {
            servers = [.. Started];
            Started.Clear();
        }

        foreach (var server in servers)
        {
            server.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
        }
    }
}
