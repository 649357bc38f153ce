using System.Diagnostics;

namespace ReactiveCache.IntegrationTests.Infrastructure;

/// <summary>
/// The processes below one of ours, read from Linux's <c>/proc</c>: what a fault test kills must be a process this
/// test started (the machine is shared), never one found by its name alone.
/// </summary>
public static class ProcessTree
{
    /// <summary>Every live descendant of <paramref name="root"/> (children, their children, …) with its command line.</summary>
    public static IReadOnlyList<(int Pid, string CommandLine)> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && ParentOf(pid) is { } parent)
            {
                parents[pid] = parent;
            }
        }

        var found = new List<(int, string)>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var (child, _) in parents.Where(p => p.Value == parent))
            {
                found.Add((child, CommandLine(child)));
                frontier.Enqueue(child);
            }
        }

        return found;
    }

    /// <summary>Kills <paramref name="pid"/> alone (SIGKILL: no chance to clean up), not its children.</summary>
    public static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: false);
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    /// <summary>
    /// Whether <paramref name="pid"/> still runs. A zombie (killed, its exit status not yet collected by its parent) or
    /// a dead process does not: for a process that is not this one's child, <see cref="Process.HasExited"/> only asks
    /// whether the pid exists, and a zombie's still does.
    /// </summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && StatFields(pid) is not [['Z' or 'X', ..], ..];
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static int? ParentOf(int pid) =>
        StatFields(pid) is [_, var ppid, ..] && int.TryParse(ppid, System.Globalization.CultureInfo.InvariantCulture, out var parent) ? parent : null;

    // the fields of /proc/<pid>/stat after the command, from the state on ("pid (comm) state ppid …": the command may
    // hold spaces and parentheses, so read after the last ')'); null when the process is gone or unreadable
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
