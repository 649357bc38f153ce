using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReactiveCache.Cli.Infrastructure;
using ReactiveCache.Domain.Policy.Configuration;

namespace ReactiveCache.Cli.Commands.Configure;

/// <summary><c>configure --rate R --sensitivity S [--output FILE]</c>: the thesis's configurator.</summary>
public static class ConfigureCommand
{
    public static Command Create()
    {
        var rate = new Option<double>("--rate") { Description = "Expected requests per object per minute, in (0, 10).", Required = true };
        var sensitivity = new Option<int>("--sensitivity") { Description = "1..5, higher = more weight on latency.", Required = true };
        var policy = new Option<string>("--policy") { Description = "Policy kind written to the configuration.", DefaultValueFactory = _ => "thesis" };
        policy.AcceptOnlyFromAmong("thesis", "default", "always-on", "s3-only");
        var output = new Option<string?>("--output") { Description = "Write the orchestrator's configuration (appsettings JSON, section Policy) to FILE." };
        var command = new Command("configure", "Derive the policy parameters from rate and sensitivity (the thesis's configurator).")
        {
            rate, sensitivity, policy, output,
        };
        command.SetAction((parseResult, _) => CommandRunner.Run(parseResult, writer =>
        {
            double r = parseResult.GetValue(rate);
            int s = parseResult.GetValue(sensitivity);
            if (PolicyConfigurator.Validate(r, s) is { } problem)
            {
                throw new CliError(problem);
            }

            var kind = ParsePolicyKind(parseResult.GetValue(policy)!);
            var options = PolicyOptions.FromDerived(kind, r, s);
            var p = options.ToParameters();
            writer.WriteLine(FormattableString.Invariant($"rate              {r} requests/object/minute (t = {60.0 / r:0.###} s between requests)"));
            writer.WriteLine(FormattableString.Invariant($"sensitivity       {s}"));
            writer.WriteLine(FormattableString.Invariant($"TICK              {p.Tick.TotalSeconds:0} s"));
            writer.WriteLine(FormattableString.Invariant($"lambdaWindow      {p.LambdaWindowElements} requests"));
            writer.WriteLine(FormattableString.Invariant($"lambdaThreshold   {p.LambdaThreshold.TotalSeconds:0} s"));
            writer.WriteLine(FormattableString.Invariant($"redisThreshold    {p.RedisThreshold}"));
            writer.WriteLine(FormattableString.Invariant($"redisUtilization  {p.RedisUtilization.TotalSeconds:0} s ({FormatMinutes(p.RedisUtilization)})"));
            writer.WriteLine(FormattableString.Invariant($"redisCheck        every {p.RedisCheckInterval.TotalSeconds:0} s"));
            if (parseResult.GetValue(output) is { } file)
            {
                File.WriteAllText(file, ToJson(options));
                writer.WriteLine($"wrote {file}");
            }

            return 0;
        }));
        return command;
    }

    public static PolicyKind ParsePolicyKind(string name) => name.ToLowerInvariant() switch
    {
        "thesis" => PolicyKind.Thesis,
        "default" => PolicyKind.Default,
        "always-on" => PolicyKind.AlwaysOn,
        "s3-only" => PolicyKind.S3Only,
        _ => throw new CliError($"unknown policy '{name}' (thesis, default, always-on, s3-only)."),
    };

    /// <summary>The appsettings-style document: { "Policy": { ... } }.</summary>
    public static string ToJson(PolicyOptions options)
    {
        var section = new JsonObject
        {
            [nameof(PolicyOptions.Kind)] = options.Kind.ToString(),
            [nameof(PolicyOptions.Rate)] = options.Rate,
            [nameof(PolicyOptions.Sensitivity)] = options.Sensitivity,
            [nameof(PolicyOptions.TickSeconds)] = options.TickSeconds,
            [nameof(PolicyOptions.LambdaWindowElements)] = options.LambdaWindowElements,
            [nameof(PolicyOptions.LambdaThresholdSeconds)] = options.LambdaThresholdSeconds,
            [nameof(PolicyOptions.RedisThreshold)] = options.RedisThreshold,
            [nameof(PolicyOptions.RedisUtilizationSeconds)] = options.RedisUtilizationSeconds,
            [nameof(PolicyOptions.RedisCheckIntervalSeconds)] = options.RedisCheckIntervalSeconds,
        };
        var root = new JsonObject { [PolicyOptions.SectionName] = section };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string FormatMinutes(TimeSpan t) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}m{t.Seconds:00}s");
}
