using System.Diagnostics;

namespace ReactiveCache.IntegrationTests.Infrastructure;

/// <summary>
/// Ties a server the tests started to the test host: a shell loop beside it that ends the server (TERM, then KILL
/// three seconds later) once the test host is gone, and ends by itself when the server does. The host's own
/// clean-up (<see cref="SharedServers"/> on ProcessExit, fixtures' DisposeAsync) does not run when the host is
/// killed, as the test runner does with a host that does not exit in time after a filtered run; without this the
/// run's s3rver, redis-server and moto_server were left behind. Hand-written: .NET has no "end the child with its
/// parent" option (Linux's parent-death signal follows the forking thread, not the process).
/// </summary>
internal static class ServerWatchdog
{
    private const string Loop =
        "while kill -0 \"$1\" 2>/dev/null && kill -0 \"$2\" 2>/dev/null; do sleep 1; done; " +
        "if kill -0 \"$2\" 2>/dev/null; then kill -TERM \"$2\"; sleep 3; kill -KILL \"$2\" 2>/dev/null; fi; exit 0";

    /// <summary>Watches <paramref name="ownerPid"/> (the test host unless a test says otherwise) for <paramref name="serverPid"/>.</summary>
    public static Process Start(int serverPid, int ownerPid)
    {
        // Its standard streams are its own pipes, not the host's: the runner must not wait on them after the host ends.
        var info = new ProcessStartInfo("bash", ["-c", Loop, "server-watchdog", ownerPid.ToString(), serverPid.ToString()])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return Process.Start(info) ?? throw new InvalidOperationException("Could not start the server watchdog.");
    }
}
