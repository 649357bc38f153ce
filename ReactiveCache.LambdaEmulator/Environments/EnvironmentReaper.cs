namespace ReactiveCache.LambdaEmulator.Environments;

/// <summary>Reaps idle execution environments once a second; kills every process when the emulator stops.</summary>
public sealed class EnvironmentReaper(EnvironmentPool pool, TimeProvider time, ILogger<EnvironmentReaper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    pool.Reap();
                }
                catch (Exception e)
                {
                    // A failed round ends neither the reaper nor the emulator: the next tick tries again.
                    logger.LogError(e, "Reaping idle execution environments failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        pool.Dispose();
    }
}
