using System.Diagnostics;

namespace ReactiveCache.IntegrationTests.Infrastructure;

public sealed class ProcessTreeTests
{
    [Fact]
    public async Task A_zombie_is_not_alive_though_its_pid_still_exists()
    {
        // the shell starts `sleep 0` in the background and becomes `sleep 30`, which never collects its child's exit
        // status: the child stays a zombie, its /proc entry there, until the parent ends
        using var parent = Process.Start(new ProcessStartInfo("sh", ["-c", "sleep 0 & exec sleep 30"]))!;
        try
        {
            int zombie = 0;
            await Eventually.HoldsAsync(() =>
            {
                zombie = ProcessTree.Descendants(parent.Id).Select(d => d.Pid).FirstOrDefault(IsZombie);
                return zombie != 0;
            }, TimeSpan.FromSeconds(10), "the background child a zombie");
            Assert.True(Directory.Exists($"/proc/{zombie}")); // its pid still exists
            Assert.False(ProcessTree.IsAlive(zombie));
            Assert.True(ProcessTree.IsAlive(parent.Id));
        }
        finally
        {
            parent.Kill(entireProcessTree: true);
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
