namespace ReactiveCache.LambdaEmulator.Environments;

public enum EnvironmentState
{
    /// <summary>Process started, runtime not yet polling (a cold start in progress).</summary>
    Initializing,
    Idle,
    Busy,
    Dead,
}
