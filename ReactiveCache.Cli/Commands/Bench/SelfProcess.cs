using System.Diagnostics;
using System.Reflection;
using System.Runtime;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>This program (<c>reactive-cache</c>) started again as a child with other arguments: the built apphost, or <c>dotnet reactive-cache.dll</c>.</summary>
internal static class SelfProcess
{
    /// <summary>Set in a child started to run with the gateway's garbage collector.</summary>
    private const string ServerGcVariable = "DOTNET_gcServer";

    /// <summary>
    /// For a bench that measures the gateway in this process: the gateway runs server GC (the Web SDK's default), this
    /// program does not. Null when this process runs server GC (the variable is then cleared, so that the processes it
    /// starts run their own); otherwise runs this command again in a child that does, and gives its exit code.
    /// </summary>
    public static async Task<int?> RerunWithServerGcAsync(CancellationToken cancellationToken)
    {
        if (GCSettings.IsServerGC || Environment.GetEnvironmentVariable(ServerGcVariable) is not null)
        {
            Environment.SetEnvironmentVariable(ServerGcVariable, null);
            return null;
        }

        var info = StartInfo(Environment.GetCommandLineArgs().Skip(1));
        info.Environment[ServerGcVariable] = "1";
        using var child = Process.Start(info) ?? throw new InvalidOperationException("Could not start the bench with server GC.");
        try
        {
            await child.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            throw;
        }

        return child.ExitCode;
    }

    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("This process's path is unknown.");
        var info = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.ArgumentList.Add(Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("No entry assembly."));
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>
    /// Runs this program as a child with <paramref name="arguments"/> and reads its result, the last line of its output
    /// as JSON (a bench's load runs apart, so that what the bench's process holds is the server's, not the load's).
    /// </summary>
    public static async Task<T> RunForJsonAsync<T>(IEnumerable<string> arguments, string what, CancellationToken cancellationToken)
        where T : class
    {
        var info = StartInfo(arguments);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {what}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var line = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return process.ExitCode == 0 && line is not null && System.Text.Json.JsonSerializer.Deserialize<T>(line) is { } result
            ? result
            : throw new InvalidOperationException($"{what} failed ({process.ExitCode}):\n{await output}\n{await error}");
    }
}
