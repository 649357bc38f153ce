// The local cache node: a Redis-protocol server (Microsoft Garnet) in a process of its own, so that
// it outlives an orchestrator restart as an EC2 instance would. The orchestrator's LocalCacheNode
// starts and stops this process; a stopped node holds nothing and a restarted one is empty.
//
// Settings (environment): CACHENODE_PORT (required); CACHENODE_READER_USER/CACHENODE_READER_PASSWORD and
// CACHENODE_WRITER_USER/CACHENODE_WRITER_PASSWORD (required: the gateways' read-only user and the loader's,
// see CacheNodeUsers; nobody else may sign in); CACHENODE_BOOT_DELAY_MS (imitates an EC2 boot before the port
// opens), CACHENODE_MEMORY (Garnet log memory, default 256m), CACHENODE_OWNER_PID (the node ends when that
// process ends: the local run's AppHost, so that no node is left behind).
using Garnet;
using ReactiveCache.CacheNode;

var port = Environment.GetEnvironmentVariable("CACHENODE_PORT");
if (!int.TryParse(port, out var portNumber) || portNumber is <= 0 or > 65535
    || NodeAccessFile.FromEnvironment() is not { } access)
{
    Console.Error.WriteLine("cache node: set CACHENODE_PORT (1-65535), CACHENODE_READER_USER, CACHENODE_READER_PASSWORD, " +
                            "CACHENODE_WRITER_USER and CACHENODE_WRITER_PASSWORD (printable, no spaces or quotes).");
    return 2;
}

var stop = new TaskCompletionSource();
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.TrySetResult(); });
using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGINT, ctx => { ctx.Cancel = true; stop.TrySetResult(); });

if (int.TryParse(Environment.GetEnvironmentVariable("CACHENODE_OWNER_PID"), out var ownerPid))
{
    _ = Task.Run(async () =>
    {
        while (IsAlive(ownerPid))
        {
            await Task.Delay(1000);
        }

        Console.WriteLine($"cache node: owner process {ownerPid} is gone");
        stop.TrySetResult();
    });
}

if (int.TryParse(Environment.GetEnvironmentVariable("CACHENODE_BOOT_DELAY_MS"), out var bootDelay) && bootDelay > 0)
{
    Console.WriteLine($"cache node: booting ({bootDelay} ms)");
    if (await Task.WhenAny(stop.Task, Task.Delay(bootDelay)) == stop.Task)
    {
        return 0;
    }
}

var memory = Environment.GetEnvironmentVariable("CACHENODE_MEMORY") is { Length: > 0 } m ? m : "256m";
// The users exist only while Garnet reads them: the file (private directory, 0600) is gone once the server is built.
GarnetServer server;
using (var aclFile = access.Write())
{
    // Small index and pages keep the heap small (measured: docs/architecture.md, "Local emulation"); no storage tier (its native device needs glibc 2.38).
    server = new GarnetServer(
    [
        "--bind", "127.0.0.1", "--port", portNumber.ToString(),
        "--auth", "Acl", "--acl-file", aclFile.Path,
        "--index", "1m", "--memory", memory, "--page", "4m",
    ]);
}

using (server)
{
    server.Start();
    Console.WriteLine($"cache node: ready on 127.0.0.1:{portNumber} (users {access.ReaderUser}, {access.WriterUser})");
    await stop.Task;
    Console.WriteLine("cache node: stopping");
}

return 0;

static bool IsAlive(int pid)
{
    try
    {
        using var process = System.Diagnostics.Process.GetProcessById(pid);
        return !process.HasExited;
    }
    catch (ArgumentException)
    {
        return false;
    }
}
