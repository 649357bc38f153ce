using System.Diagnostics;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// CPU time of a process and its direct children (nginx's master and its workers), read from <c>/proc</c>: a
/// child's time reaches its parent's counters only once it has exited, so the live children are summed.
/// </summary>
public static class ProcessTreeCpu
{
    public static TimeSpan Of(int pid)
    {
        var total = TimeSpan.Zero;
        foreach (var id in Children(pid).Prepend(pid))
        {
            try
            {
                using var process = Process.GetProcessById(id);
                total += process.TotalProcessorTime;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Gone between the listing and the read.
            }
        }

        return total;
    }

    /// <summary>The live direct children of <paramref name="pid"/> (field 4 of <c>/proc/{id}/stat</c> is the parent).</summary>
    private static IEnumerable<int> Children(int pid)
    {
        if (!Directory.Exists("/proc"))
        {
            yield break;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var id))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 1 && int.TryParse(fields[1], out var parent) && parent == pid)
            {
                yield return id;
            }
        }
    }
}
