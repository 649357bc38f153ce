using System.CommandLine;
using ReactiveCache.Cli.Commands.Configure;
using ReactiveCache.Cli.Infrastructure;
using ReactiveCache.Domain.Costs;
using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Simulation;

namespace ReactiveCache.Cli.Commands.Simulate;

/// <summary>The options every simulation shares (policy, configuration, seed, prices, start-up and latency model).</summary>
public sealed class SimulationOptionSet
{
    private static readonly StartupModel StartDefaults = new();
    private static readonly LatencyModel LatencyDefaults = new();

    private readonly Option<string> _policy = new("--policy") { Description = "thesis | default | always-on | s3-only (reactive system)", DefaultValueFactory = _ => "thesis" };
    private readonly Option<double> _rate = new("--rate") { Description = "Expected requests per object per minute, (0, 10).", DefaultValueFactory = _ => 3.0 };
    private readonly Option<int> _sensitivity = new("--sensitivity") { Description = "1..5", DefaultValueFactory = _ => 4 };
    private readonly Option<int> _seed = new("--seed") { Description = "Seed of the random start-up model.", DefaultValueFactory = _ => 1 };
    private readonly Option<string> _prices = new("--prices") { Description = "Price table: thesis-frankfurt | us-east-1", DefaultValueFactory = _ => PriceTable.ThesisFrankfurt.Name };
    private readonly Option<double?> _duration = new("--duration") { Description = "Window in seconds (default: the trace's)." };
    private readonly Option<double> _cold = new("--cold-start-ms") { DefaultValueFactory = _ => StartDefaults.FunctionColdMs, Description = "Function cold start (trigger → serving)." };
    private readonly Option<double> _warm = new("--warm-start-ms") { DefaultValueFactory = _ => StartDefaults.FunctionWarmMs, Description = "Function warm start." };
    private readonly Option<double> _bootMin = new("--node-boot-min-s") { DefaultValueFactory = _ => StartDefaults.NodeBootMinSeconds };
    private readonly Option<double> _bootMean = new("--node-boot-mean-s") { DefaultValueFactory = _ => StartDefaults.NodeBootMeanSeconds };
    private readonly Option<double> _bootMax = new("--node-boot-max-s") { DefaultValueFactory = _ => StartDefaults.NodeBootMaxSeconds };
    private readonly Option<double> _stop = new("--node-stop-s") { DefaultValueFactory = _ => StartDefaults.NodeStopSeconds, Description = "Node stop (StopInstances → stopped)." };
    private readonly Option<double> _pending = new("--node-pending-s") { DefaultValueFactory = _ => StartDefaults.NodePendingSeconds, Description = "The unbilled head of a boot (EC2 pending → running)." };
    private readonly Option<string> _billing = new("--node-billing") { DefaultValueFactory = _ => "running", Description = "Bill the node from EC2's running state (AWS) or, as the thesis did, from ready." };
    private readonly Option<double> _s3 = new("--latency-s3-ms") { DefaultValueFactory = _ => LatencyDefaults.S3Ms };
    private readonly Option<double> _lambda = new("--latency-lambda-ms") { DefaultValueFactory = _ => LatencyDefaults.LambdaMs };
    private readonly Option<double> _redis = new("--latency-redis-ms") { DefaultValueFactory = _ => LatencyDefaults.RedisMs };

    public SimulationOptionSet()
    {
        _policy.AcceptOnlyFromAmong("thesis", "default", "always-on", "s3-only");
        _billing.AcceptOnlyFromAmong("running", "ready");
    }

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { _policy, _rate, _sensitivity, _seed, _prices, _duration, _cold, _warm, _bootMin, _bootMean, _bootMax, _stop, _pending, _billing, _s3, _lambda, _redis })
        {
            command.Options.Add(o);
        }
    }

    public SimulationOptions Read(ParseResult parseResult)
    {
        double rate = parseResult.GetValue(_rate);
        int sensitivity = parseResult.GetValue(_sensitivity);
        if (PolicyConfigurator.Validate(rate, sensitivity) is { } problem)
        {
            throw new CliError(problem);
        }

        string pricesName = parseResult.GetValue(_prices)!;
        var prices = PriceTable.Find(pricesName)
            ?? throw new CliError($"unknown price table '{pricesName}' ({string.Join(", ", PriceTable.All.Select(p => p.Name))}).");
        double? duration = parseResult.GetValue(_duration);
        if (duration is <= 0)
        {
            throw new CliError("--duration must be positive.");
        }

        var startup = new StartupModel(
            FunctionColdMs: NonNegative(parseResult.GetValue(_cold), "--cold-start-ms"),
            FunctionWarmMs: NonNegative(parseResult.GetValue(_warm), "--warm-start-ms"),
            NodeBootMinSeconds: NonNegative(parseResult.GetValue(_bootMin), "--node-boot-min-s"),
            NodeBootMeanSeconds: NonNegative(parseResult.GetValue(_bootMean), "--node-boot-mean-s"),
            NodeBootMaxSeconds: NonNegative(parseResult.GetValue(_bootMax), "--node-boot-max-s"),
            NodeStopSeconds: NonNegative(parseResult.GetValue(_stop), "--node-stop-s"),
            NodePendingSeconds: NonNegative(parseResult.GetValue(_pending), "--node-pending-s"));
        return new SimulationOptions
        {
            Policy = ConfigureCommand.ParsePolicyKind(parseResult.GetValue(_policy)!),
            Rate = rate,
            Sensitivity = sensitivity,
            Seed = parseResult.GetValue(_seed),
            Prices = prices,
            Duration = duration is { } d ? TimeSpan.FromSeconds(d) : null,
            Startup = startup,
            NodeBilling = parseResult.GetValue(_billing) == "ready" ? NodeBilling.FromReady : NodeBilling.FromRunning,
            Latency = new LatencyModel(
                S3Ms: NonNegative(parseResult.GetValue(_s3), "--latency-s3-ms"),
                LambdaMs: NonNegative(parseResult.GetValue(_lambda), "--latency-lambda-ms"),
                RedisMs: NonNegative(parseResult.GetValue(_redis), "--latency-redis-ms")),
        };
    }

    private static double NonNegative(double value, string name) =>
        value >= 0 && double.IsFinite(value) ? value : throw new CliError($"{name} must be a non-negative number; got {value}.");
}
