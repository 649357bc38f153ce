namespace ReactiveCache.LambdaEmulator.Environments;

/// <summary>Every execution environment is busy and the concurrency limit is reached (Lambda answers 429).</summary>
public sealed class TooManyRequestsException(string message) : Exception(message);
