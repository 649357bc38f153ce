using System.CommandLine;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary><c>reactive-cache bench gateway</c>: its options (see <see cref="GatewayBench"/> for what it measures).</summary>
public static class GatewayBenchCommand
{
    public static Command Create()
    {
        var duration = new Option<int>("--duration") { Description = "Seconds measured per target and object size, per round.", DefaultValueFactory = _ => 5 };
        var warmup = new Option<int>("--warmup") { Description = "Seconds of warm-up before each measurement.", DefaultValueFactory = _ => 1 };
        var connections = new Option<int>("--connections") { Description = "Concurrent connections (closed loop).", DefaultValueFactory = _ => 16 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds, alternating targets, pooled per target (requests and time summed, latencies merged).", DefaultValueFactory = _ => 2 };
        var telemetry = new Option<bool>("--telemetry") { Description = "Run the gateway with the service defaults (OpenTelemetry instrumentation, no exporter)." };
        var noNginx = new Option<bool>("--no-nginx") { Description = "Leave out the peer row (nginx with proxy_cache, Debian's nginx-light) and its verdicts." };
        var noLambda = new Option<bool>("--no-lambda") { Description = "Leave out the Lambda path (which needs the built emulator and function of a checkout)." };
        var function = new Option<string?>("--function")
        {
            Description = "The function to serve through: 'aot' (default; the Native AOT bootstrap, as deployed, published into "
                          + "artifacts/lambda-aot when missing), 'jit' (the newer of the Release and Debug builds of bootstrap.dll, run with dotnet), "
                          + "or a path to either.",
        };
        var ordinaryPort = new Option<bool>("--ordinary-port")
        {
            Description = "The function dials the gateway's ordinary port (the tunnel over Kestrel's upgraded stream), not its tunnel port (Tunnel:ListenPort).",
        };
        var repo = new Option<string?>("--repo") { Description = "The repository root, for the Lambda path's programs (default: found above the current directory)." };

        var command = new Command("gateway", "The gateway's Redis-hit and Lambda paths against their floors (bare Kestrel + 1 Redis read, + 1 YARP hop) and against nginx proxy_cache (RPS, latency percentiles, CPU per request, P1–P3 verdicts).")
        {
            duration, warmup, connections, rounds, telemetry, noNginx, noLambda, function, ordinaryPort, repo,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            LambdaSetup? lambda = null;
            if (!parse.GetValue(noLambda))
            {
                try
                {
                    // Checked now rather than after the Redis part has started.
                    lambda = await LambdaSetup.FindAsync(parse.GetValue(repo), parse.GetValue(function) ?? "aot", !parse.GetValue(ordinaryPort), cancellationToken);
                }
                catch (InvalidOperationException e)
                {
                    await Console.Error.WriteLineAsync($"{e.Message}\n(--no-lambda leaves out the Lambda path.)");
                    return 2;
                }
            }

            return await GatewayBench.RunAsync(
                new GatewayBenchSettings(
                    TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(duration), 1, 120)),
                    TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(warmup), 0, 60)),
                    Math.Clamp(parse.GetValue(connections), 1, 1024),
                    Math.Clamp(parse.GetValue(rounds), 1, 10),
                    parse.GetValue(telemetry),
                    lambda,
                    Nginx: !parse.GetValue(noNginx)),
                cancellationToken);
        });
        return command;
    }
}
