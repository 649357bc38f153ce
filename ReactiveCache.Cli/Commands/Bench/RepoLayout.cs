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

    /// <summary>The built <c>{assembly}.dll</c> of <paramref name="project"/>, Release preferred.</summary>
    public string Dll(string project, string? assembly = null)
    {
        foreach (var configuration in new[] { "Release", "Debug" })
        {
            var path = Path.Combine(Root, project, "bin", configuration, "net10.0", (assembly ?? project) + ".dll");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException($"{project} is not built: run `dotnet build {project} -c Release` first.");
    }

    public string AotOutput => Path.Combine(Root, "artifacts", "lambda-aot");
}
