using System.Diagnostics;
using Spectre.Console;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>Where the built programs of a checkout are.</summary>
public sealed record RepoLayout(string Root)
{
    public static RepoLayout Find(string? root)
    {
        var start = root ?? Directory.GetCurrentDirectory();
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReactiveCache.sln")))
            {
                return new RepoLayout(dir.FullName);
            }
        }

        throw new InvalidOperationException($"No ReactiveCache.sln at or above {start}: run from the repository or pass --repo.");
    }

    /// <summary>The built <c>{assembly}.dll</c> of <paramref name="project"/>: the newer of the Release and Debug builds.</summary>
    public string Dll(string project, string? assembly = null) =>
        new[] { "Release", "Debug" }
            .Select(configuration => Path.Combine(Root, project, "bin", configuration, "net10.0", (assembly ?? project) + ".dll"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault()
        ?? throw new InvalidOperationException($"{project} is not built: run `dotnet build {project} -c Release` first.");

    public string AotOutput => Path.Combine(Root, "artifacts", "lambda-aot");

    /// <summary>The function as deployed: the Native AOT <c>bootstrap</c> (<see cref="PublishAotAsync"/> makes it).</summary>
    public string AotBootstrap => Path.Combine(AotOutput, "bootstrap");

    /// <summary>Publishes the function with Native AOT into <see cref="AotOutput"/>; false when the publish failed.</summary>
    public async Task<bool> PublishAotAsync(CancellationToken cancellationToken)
    {
        AnsiConsole.MarkupLine("[grey]Publishing the function with Native AOT (dotnet publish -c Release -r linux-x64)…[/]");
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Root, UseShellExecute = false };
        foreach (var arg in new[] { "publish", "ReactiveCache.Lambda", "-c", "Release", "-r", "linux-x64", "-o", AotOutput, "-nologo" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0;
    }
}
