namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>The rounds <c>bench gateway</c> measured, per object and target; a row is its rounds pooled (<see cref="LoadResult.Pool"/>).</summary>
public sealed class GatewayBenchResults(IReadOnlyList<string> objects, IReadOnlyList<GatewayTarget> targets)
{
    private readonly Dictionary<(string Object, GatewayTarget Target), List<LoadResult>> _rounds = [];

    /// <summary>The objects, in the order measured and printed.</summary>
    public IReadOnlyList<string> Objects => objects;

    /// <summary>The targets of this run, in the order measured and printed.</summary>
    public IReadOnlyList<GatewayTarget> Targets => targets;

    public void Add(string @object, GatewayTarget target, LoadResult round)
    {
        if (!_rounds.TryGetValue((@object, target), out var rounds))
        {
            _rounds[(@object, target)] = rounds = [];
        }

        rounds.Add(round);
    }

    /// <summary>All rounds of <paramref name="target"/> on <paramref name="object"/> as one; null when none was measured.</summary>
    public LoadResult? Pooled(string @object, GatewayTarget target) =>
        _rounds.TryGetValue((@object, target), out var rounds) ? LoadResult.Pool(rounds) : null;
}
