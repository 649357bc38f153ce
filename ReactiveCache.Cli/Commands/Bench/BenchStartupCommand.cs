using System.CommandLine;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// <c>reactive-cache bench startup</c>: the function's activation time (invoke → first tunnelled hit at
/// the gateway), cold and warm, Native AOT and JIT builds of the same function, in the same run.
/// </summary>
public static class BenchStartupCommand
{
    /// <summary><c>bench startup</c>.</summary>
    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "Cold+warm activations per build.", DefaultValueFactory = _ => 5 };
        var key = new Option<string>("--key") { Description = "The sample object the function holds.", DefaultValueFactory = _ => "1KB.txt" };
        var aot = new Option<string?>("--aot") { Description = "The Native AOT bootstrap (default: artifacts/lambda-aot/bootstrap, published if missing)." };
        var jit = new Option<string?>("--jit") { Description = "The JIT bootstrap.dll (default: the newer of the Release and Debug builds)." };
        var repo = new Option<string?>("--repo") { Description = "The repository root (default: found above the current directory)." };

        var command = new Command("startup", "Cold and warm function activation (invoke → first tunnelled hit), Native AOT vs JIT.")
        {
            runs, key, aot, jit, repo,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var runCount = parse.GetValue(runs);
            if (runCount is < 1 or > 100)
            {
                await Console.Error.WriteLineAsync("--runs must be within 1..100.");
                return 2;
            }

            var objectKey = parse.GetValue(key)!;
            if (!Core.Objects.SampleObjects.All.ContainsKey(objectKey))
            {
                await Console.Error.WriteLineAsync($"--key must be one of the sample objects: {string.Join(", ", Core.Objects.SampleObjects.All.Keys)}.");
                return 2;
            }

            RepoLayout layout;
            try
            {
                layout = RepoLayout.Find(parse.GetValue(repo));
            }
            catch (InvalidOperationException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }

            var bench = new StartupBench(layout, objectKey, runCount);
            return await bench.RunAsync(parse.GetValue(aot), parse.GetValue(jit), cancellationToken);
        });
        return command;
    }
}
