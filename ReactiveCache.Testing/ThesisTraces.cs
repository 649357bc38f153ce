namespace ReactiveCache.Testing;

/// <summary>The thesis's published traces, kept in the repository as test data (<c>traces/thesis</c>).</summary>
public static class ThesisTraces
{
    public static string Directory { get; } = System.IO.Path.Combine(RepoPaths.Root, "traces", "thesis");

    public static string Path(string name) => System.IO.Path.Combine(Directory, name);
}
