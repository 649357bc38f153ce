using System.Diagnostics;
using System.Globalization;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// Bare Kestrel answering <c>GET /objects/{key}</c> from memory in a process of its own (this program again,
/// <c>bench origin</c>): the origin of the floor that forwards to another process, as the Lambda path forwards to the
/// function's. It ends with the bench: disposed, or when its standard input closes because the bench is gone.
/// </summary>
internal sealed class BenchOrigin : IAsyncDisposable
{
    private readonly Process _process;

    private BenchOrigin(Process process, int port)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseAddress { get; }

    /// <summary>CPU time the origin's process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<BenchOrigin> StartAsync(CancellationToken cancellationToken)
    {
        var port = BenchPorts.Free();
        var info = SelfProcess.StartInfo(["bench", "origin", "--port", port.ToString(CultureInfo.InvariantCulture)]);
        info.RedirectStandardInput = true;
        var origin = new BenchOrigin(BenchChildProcess.Start(info, "the bench's origin"), port);
        try
        {
            // A program started again (just-in-time compiled) takes a few seconds on a loaded machine.
            await BenchChildProcess.WaitUntilListeningAsync(origin._process, port, "the bench's origin", TimeSpan.FromSeconds(60), cancellationToken);
            return origin;
        }
        catch
        {
            await origin.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }
}
