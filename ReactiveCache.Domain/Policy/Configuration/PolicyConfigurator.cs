namespace ReactiveCache.Domain.Policy.Configuration;

/// <summary>
/// The thesis's configurator (cmd/orchestrator_configurator): from the expected request rate per object
/// per minute and a latency sensitivity to the state machine's thresholds. With t = 60 / rate:
/// TICK = int(t − (5 − s)·t/5) s, lambdaThreshold = 2·TICK, redisThreshold = 4,
/// redisUtilization = int(t·(s + 5)) s (Go truncates the float when it converts to a duration).
/// </summary>
public static class PolicyConfigurator
{
    public const double MinRateExclusive = 0.0;
    public const double MaxRateExclusive = 10.0;
    public const int MinSensitivity = 1;
    public const int MaxSensitivity = 5;
    public const int LambdaWindowElements = 2;
    public const int RedisThreshold = 4;

    /// <summary>Null when both inputs are valid, else a message that says what is accepted.</summary>
    public static string? Validate(double rate, int sensitivity)
    {
        if (double.IsNaN(rate) || !(rate > MinRateExclusive && rate < MaxRateExclusive))
        {
            return $"rate must be greater than {MinRateExclusive} and less than {MaxRateExclusive} (expected requests per object per minute); got {rate}.";
        }

        if (sensitivity is < MinSensitivity or > MaxSensitivity)
        {
            return $"sensitivity must be an integer from {MinSensitivity} to {MaxSensitivity} (higher = more weight on latency); got {sensitivity}.";
        }

        return null;
    }

    /// <summary>Derives the parameters; throws <see cref="ArgumentOutOfRangeException"/> on invalid input.</summary>
    public static PolicyParameters Derive(double rate, int sensitivity)
    {
        if (Validate(rate, sensitivity) is { } error)
        {
            throw new ArgumentOutOfRangeException(nameof(rate), error);
        }

        double between = 60.0 / rate;
        int tick = (int)(between - ((MaxSensitivity - sensitivity) * (between / MaxSensitivity)));
        long utilization = (long)((5 * between) + (between * sensitivity));
        return new PolicyParameters(
            Tick: TimeSpan.FromSeconds(tick),
            LambdaWindowElements: LambdaWindowElements,
            LambdaThreshold: TimeSpan.FromSeconds(tick * LambdaWindowElements),
            RedisThreshold: RedisThreshold,
            RedisUtilization: TimeSpan.FromSeconds(utilization),
            RedisCheckInterval: PolicyParameters.DefaultRedisCheckInterval);
    }
}
