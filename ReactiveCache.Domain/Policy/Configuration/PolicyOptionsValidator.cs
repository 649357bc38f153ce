using Microsoft.Extensions.Options;

namespace ReactiveCache.Domain.Policy.Configuration;

/// <summary>Refuses a policy configuration the state machine cannot run with, saying why.</summary>
public sealed class PolicyOptionsValidator : IValidateOptions<PolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, PolicyOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Kind))
        {
            failures.Add($"{PolicyOptions.SectionName}:Kind '{options.Kind}' is not one of {string.Join(", ", Enum.GetNames<PolicyKind>())}.");
        }

        if (PolicyConfigurator.Validate(options.Rate, options.Sensitivity) is { } error)
        {
            failures.Add($"{PolicyOptions.SectionName}: {error}");
        }

        Positive(failures, nameof(options.TickSeconds), options.TickSeconds);
        Positive(failures, nameof(options.LambdaWindowElements), options.LambdaWindowElements);
        Positive(failures, nameof(options.LambdaThresholdSeconds), options.LambdaThresholdSeconds);
        Positive(failures, nameof(options.RedisThreshold), options.RedisThreshold);
        Positive(failures, nameof(options.RedisUtilizationSeconds), options.RedisUtilizationSeconds);
        Positive(failures, nameof(options.RedisCheckIntervalSeconds), options.RedisCheckIntervalSeconds);
        if (options.LambdaWindowElements is > PolicyParameters.TimestampQueueSize)
        {
            failures.Add($"{PolicyOptions.SectionName}:LambdaWindowElements must be at most {PolicyParameters.TimestampQueueSize} (the timestamps kept per object).");
        }

        if (options.MaxTrackedKeys is < 100 or > 10_000_000)
        {
            failures.Add($"{PolicyOptions.SectionName}:MaxTrackedKeys must be within 100..10000000; got {options.MaxTrackedKeys}.");
        }

        if (options.Startup is not { } startup)
        {
            failures.Add($"{PolicyOptions.SectionName}:Startup is required.");
        }
        else if (!(startup.NodeBootMinSeconds >= 0 && startup.NodeBootMinSeconds <= startup.NodeBootMeanSeconds && startup.NodeBootMeanSeconds <= startup.NodeBootMaxSeconds)
                 || !(startup.NodeStopSeconds >= 0 && startup.NodePendingSeconds >= 0 && startup.FunctionColdMs >= 0 && startup.FunctionWarmMs >= 0
                      && startup.ObjectLoadSeconds >= 0 && startup.FunctionTimeoutSeconds > 0 && startup.FunctionKeepWarmSeconds >= 0))
        {
            failures.Add($"{PolicyOptions.SectionName}:Startup needs 0 <= NodeBootMinSeconds <= NodeBootMeanSeconds <= NodeBootMaxSeconds, "
                         + "a positive FunctionTimeoutSeconds and no negative time.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string name, int? value)
    {
        if (value is <= 0)
        {
            failures.Add($"{PolicyOptions.SectionName}:{name} must be positive; got {value}.");
        }
    }
}
