using System.Diagnostics;

namespace ReactiveCache.IntegrationTests.Infrastructure;

/// <summary>
/// Runs a command-line tool (dotnet, cfn-lint, cfn-guard, shellcheck, the AWS CLI, deploy/*.sh) from the
/// repository root to its end, or kills it at a timeout: exit code and output (stdout then stderr).
/// </summary>
public static class ToolCommand
{
    /// <param name="environment">Variables to set (a null value removes the variable from the child's environment).</param>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', info.ArgumentList)} took more than {timeout}:\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, name))
        .FirstOrDefault(File.Exists);
}
