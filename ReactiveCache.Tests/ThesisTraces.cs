namespace ReactiveCache.Tests;

/// <summary>Where the thesis's published traces are (../shared/traces/thesis from the repository).</summary>
public static class ThesisTraces
{
    public static string Directory { get; } = Find();

    public static string Path(string name) => System.IO.Path.Combine(Directory, name);

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            foreach (var candidate in new[] { System.IO.Path.Combine(dir.FullName, "shared", "traces", "thesis") })
            {
                if (System.IO.Directory.Exists(candidate))
                {
                    return candidate;
                }
            }

            dir = dir.Parent;
        }

        throw new DirectoryNotFoundException("The thesis traces (shared/traces/thesis) were not found above " + AppContext.BaseDirectory);
    }
}
