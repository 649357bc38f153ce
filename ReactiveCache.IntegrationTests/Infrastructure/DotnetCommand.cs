namespace ReactiveCache.IntegrationTests.Infrastructure;

/// <summary>Runs <c>dotnet …</c> from the repository root to its end (or kills it at a timeout): exit code and output.</summary>
public static class DotnetCommand
{
    public static Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> args, TimeSpan timeout) =>
        ToolCommand.RunAsync("dotnet", args, timeout);
}
