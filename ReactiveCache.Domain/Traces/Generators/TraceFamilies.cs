namespace ReactiveCache.Domain.Traces.Generators;

/// <summary>
/// The evaluation's trace families (<c>reactive-cache trace generate family NAME --seed N</c>). Their parameters
/// were fixed before any policy was run on them; seeds 1–20 are the reported ones.
/// </summary>
public static class TraceFamilies
{
    public static IReadOnlyList<TraceFamily> All { get; } =
    [
        new("flash-crowd", "3 h, 3 flash crowds after long silence (60 requests/min decaying with a 2 min time constant), 3 keys", 9,
            seed => FlashCrowdTraceGenerator.Generate(180, 3, 60, 120, 3, seed)),
        new("on-off", "2 h of bursts (12 requests/min for 2–6 min) separated by 3–10 min of silence, 1 key", 9,
            seed => OnOffTraceGenerator.Generate(120, 12, 2, 6, 3, 10, 1, seed)),
        new("diurnal", "24 h, 2 requests/min on average following a day (0.2/min at night, 3.8/min at noon), 10 keys (Zipf)", 1,
            seed => DiurnalTraceGenerator.Generate(24, 2, 0.9, 10, 1.0, seed)),
        new("zipf", "1 h, 60 requests/min over 50 keys (Zipf, skew 1)", 3,
            seed => ZipfTraceGenerator.Generate(50, 1.0, 60, 60, seed)),
        Poisson(0.5, thesisRate: 0.5),
        Poisson(2, thesisRate: 2),
        Poisson(6, thesisRate: 6),
        Poisson(20, thesisRate: 9),
        new("spike-20", "one spike of 60 requests, σ 20 s", 9,
            seed => SpikeTraceGenerator.Generate(60, 20, seed)),
        new("spike-60", "one spike of 150 requests, σ 60 s", 9,
            seed => SpikeTraceGenerator.Generate(150, 60, seed)),
        new("spike-200", "one spike of 300 requests, σ 200 s", 9,
            seed => SpikeTraceGenerator.Generate(300, 200, seed)),
        new("spike-600", "one spike of 600 requests, σ 600 s", 9,
            seed => SpikeTraceGenerator.Generate(600, 600, seed)),
    ];

    // one hour of Poisson arrivals on one key: the rate names the family, drives its generator and is the rate
    // MemorylessBound is computed with, from this one value
    private static TraceFamily Poisson(double ratePerMinute, double thesisRate) =>
        new(FormattableString.Invariant($"poisson-{ratePerMinute}"),
            FormattableString.Invariant($"1 h of Poisson arrivals, {ratePerMinute} requests/min, 1 key"),
            thesisRate,
            seed => PoissonTraceGenerator.Generate(60, ratePerMinute, seed),
            ratePerMinute);

    public static TraceFamily? Find(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
}
