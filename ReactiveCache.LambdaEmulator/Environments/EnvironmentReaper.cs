namespace ReactiveCache.LambdaEmulator.Environments;

/// <summary>Reaps idle execution environments once a second; kills every process when the emulator stops.</summary>
public sealed class EnvironmentReaper(EnvironmentPool pool, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                pool.Reap();
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
