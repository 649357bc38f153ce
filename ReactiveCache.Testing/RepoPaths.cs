namespace ReactiveCache.Testing;

/// <summary>Paths of the checkout the tests run from.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Tools the test command installs (npm packages such as s3rver) live here.</summary>
    public static string Tools => Path.Combine(Root, ".tools");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReactiveCache.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No ReactiveCache.sln above {AppContext.BaseDirectory}.");
    }
}
