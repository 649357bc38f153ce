using ReactiveCache.Cli.Commands.Bench;

namespace ReactiveCache.UnitTests.Cli.Bench;

/// <summary>
/// <c>bench memory</c> counts every managed byte its process allocates while a row runs as the gateway's, per GET, and
/// samples the RSS every 5 ms meanwhile: a sample must allocate (next to) nothing, or a GET that takes longer on a
/// loaded machine is charged for the sampler's reads (one 8 MB Redis GET was once charged 2.6 MB, not 0.6–0.9 MB).
/// </summary>
public sealed class RssSamplerTests
{
    [Fact]
    public void Reading_the_rss_allocates_almost_nothing()
    {
        var pid = Environment.ProcessId;
        Assert.True(RssSampler.Read(pid) > 0);

        const int reads = 200;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < reads; i++)
        {
            RssSampler.Read(pid);
        }

        var perRead = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)reads;
        Assert.True(perRead < 256, $"one RSS read allocated {perRead:F0} B");
    }

    [Fact]
    public void The_rss_read_is_the_vmrss_line_of_proc_status()
    {
        var line = File.ReadLines($"/proc/{Environment.ProcessId}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

        // The RSS moves between the two reads; within a few MB they are the same figure.
        Assert.InRange(RssSampler.Read(Environment.ProcessId) / 1024, kb - 8192, kb + 8192);
    }
}
