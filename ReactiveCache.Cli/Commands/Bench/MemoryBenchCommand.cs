using System.CommandLine;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary><c>reactive-cache bench memory</c>: its options (see <see cref="MemoryBench"/> for what it measures).</summary>
public static class MemoryBenchCommand
{
    public static Command Create()
    {
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent GETs of the 1 MB object.", DefaultValueFactory = _ => 64 };
        var requests = new Option<int>("--requests") { Description = "GETs each concurrent client sends, one after the other.", DefaultValueFactory = _ => 4 };
        var largeMb = new Option<int>("--large-mb") { Description = "Size of the large object (MB), one GET of it per layer.", DefaultValueFactory = _ => 100 };
        var goal = new Option<int>("--goal-mb") { Description = "The most the gateway's RSS may grow (MB).", DefaultValueFactory = _ => 64 };
        var noLambda = new Option<bool>("--no-lambda") { Description = "Leave out the Lambda layer (which needs the built emulator and function of a checkout)." };
        var function = new Option<string?>("--function") { Description = "The function: 'aot' (default), 'jit', or a path to either (as for bench gateway)." };
        var repo = new Option<string?>("--repo") { Description = "The repository root, for the Lambda layer's programs (default: found above the current directory)." };
        var command = new Command("memory", "The gateway's RSS growth per layer under 64 concurrent 1 MB GETs and under one 100 MB GET (goal ≤ 64 MB).")
        {
            concurrency, requests, largeMb, goal, noLambda, function, repo,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (await SelfProcess.RerunWithServerGcAsync(cancellationToken) is { } exit)
            {
                return exit;
            }

            LambdaSetup? lambda = null;
            if (!parse.GetValue(noLambda))
            {
                try
                {
                    lambda = await LambdaSetup.FindAsync(parse.GetValue(repo), parse.GetValue(function) ?? "aot", tunnelPort: true, cancellationToken);
                }
                catch (InvalidOperationException e)
                {
                    await Console.Error.WriteLineAsync($"{e.Message}\n(--no-lambda leaves out the Lambda layer.)");
                    return 2;
                }
            }

            return await MemoryBench.RunAsync(
                new MemoryBenchSettings(
                    Math.Clamp(parse.GetValue(concurrency), 1, 256),
                    Math.Clamp(parse.GetValue(requests), 1, 1000),
                    Math.Clamp(parse.GetValue(largeMb), 1, 1024),
                    Math.Clamp(parse.GetValue(goal), 1, 4096),
                    lambda),
                cancellationToken);
        });
        return command;
    }
}
