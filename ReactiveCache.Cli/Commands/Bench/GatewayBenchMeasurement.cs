using ReactiveCache.Domain;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// The measurement of <c>bench gateway</c>: per object, rounds that each measure every target once in turn
/// (so each target meets the machine's noise alike), with the same load generator.
/// </summary>
internal static class GatewayBenchMeasurement
{
    public static async Task<GatewayBenchResults> RunAsync(GatewayBenchRig rig, GatewayBenchSettings settings, CancellationToken cancellationToken)
    {
        var results = new GatewayBenchResults(GatewayBenchRig.Objects, rig.Targets);
        foreach (var @object in results.Objects)
        {
            for (var round = 0; round < settings.Rounds; round++)
            {
                foreach (var target in results.Targets)
                {
                    await rig.PrepareAsync(target, cancellationToken);
                    results.Add(@object, target, await rig.Load.RunAsync(rig.Url(target, @object), target.Check,
                        settings.Warmup, settings.Duration, rig.SideCpu(target), cancellationToken));
                }
            }
        }

        return results;
    }
}
