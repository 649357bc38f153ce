using System.Buffers.Text;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// A process's resident set (RSS, <c>VmRSS</c> of <c>/proc/{pid}/status</c>), read now (<see cref="Read"/>) or
/// sampled every few milliseconds while something runs, keeping the peak (<see cref="Start"/>). The one place the
/// benches read memory from.
/// </summary>
public sealed class RssSampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _peak;

    private RssSampler(int pid, TimeSpan interval)
    {
        _pid = pid;
        _peak = Read(pid);
        _sampling = Task.Run(() => SampleAsync(interval));
    }

    /// <summary>The highest RSS seen since the start, in bytes.</summary>
    public long PeakBytes => Interlocked.Read(ref _peak);

    /// <summary>The RSS of <paramref name="pid"/> now, in bytes.</summary>
    /// <exception cref="PlatformNotSupportedException">No <c>/proc</c> (not Linux).</exception>
    /// <remarks>
    /// Read into a stack buffer and parsed as bytes: the memory bench charges every byte this process allocates while
    /// a row runs to the row's GETs, and reading the file line by line allocated about 9 KB a sample, 200 samples a
    /// second.
    /// </remarks>
    public static long Read(int pid)
    {
        var path = $"/proc/{pid}/status";
        // The whole file is about 1.4 KB; VmRSS is in its first half. Opened once per sample (no existence check first).
        Span<byte> status = stackalloc byte[4096];
        int length;
        try
        {
            using var handle = File.OpenHandle(path);
            length = RandomAccess.Read(handle, status, 0);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new PlatformNotSupportedException($"No {path}: RSS is read from Linux's /proc.", e);
        }

        // "VmRSS:\t  123456 kB"
        var text = status[..length];
        var at = text.IndexOf("VmRSS:"u8);
        if (at < 0)
        {
            throw new InvalidOperationException($"{path} has no VmRSS line.");
        }

        var value = text[(at + "VmRSS:".Length)..].TrimStart(" \t"u8);
        if (!Utf8Parser.TryParse(value, out long kb, out _))
        {
            throw new InvalidOperationException($"{path}'s VmRSS line has no number.");
        }

        return kb * 1024;
    }

    /// <summary>Samples <paramref name="pid"/>'s RSS every <paramref name="interval"/> (5 ms by default) until disposed.</summary>
    public static RssSampler Start(int pid, TimeSpan? interval = null) => new(pid, interval ?? TimeSpan.FromMilliseconds(5));

    private async Task SampleAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Observe(Read(_pid));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Observe(long rss)
    {
        var peak = Interlocked.Read(ref _peak);
        while (rss > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peak, rss, peak);
            if (seen == peak)
            {
                return;
            }

            peak = seen;
        }
    }

    /// <summary>Stops sampling, after one last sample.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        Observe(Read(_pid));
        _stop.Dispose();
    }
}
