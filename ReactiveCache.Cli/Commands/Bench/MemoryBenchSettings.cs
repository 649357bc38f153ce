namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>How <c>bench memory</c> measures.</summary>
/// <param name="Concurrency">Concurrent GETs of the 1 MB object.</param>
/// <param name="PerWorker">GETs each of them sends, one after the other.</param>
/// <param name="LargeMiB">Size of the large object, one GET of it per layer.</param>
/// <param name="GoalMiB">The most the gateway's RSS may grow.</param>
/// <param name="Lambda">The Lambda path's programs; null: no Lambda layer.</param>
public sealed record MemoryBenchSettings(int Concurrency, int PerWorker, int LargeMiB, int GoalMiB, LambdaSetup? Lambda);
