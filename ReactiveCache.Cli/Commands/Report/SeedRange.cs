namespace ReactiveCache.Cli.Commands.Report;

/// <summary>How a report names the seeds it averaged over: "20 seeds" (seeds 1–20), or "3 seeds (101–103)" for development seeds.</summary>
internal static class SeedRange
{
    public static string Describe(IReadOnlyList<int> seeds) => seeds switch
    {
        [1] => "1 seed",
        [int only] => FormattableString.Invariant($"1 seed ({only})"),
        [1, ..] => FormattableString.Invariant($"{seeds.Count} seeds"),
        _ => FormattableString.Invariant($"{seeds.Count} seeds ({seeds[0]}–{seeds[^1]})"),
    };
}
