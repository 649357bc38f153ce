using ReactiveCache.Cli.Commands.Bench;

namespace ReactiveCache.UnitTests.Cli.Bench;

/// <summary><c>bench soak --duration</c>: seconds, minutes or a bare number of seconds; anything else is refused.</summary>
public sealed class SoakDurationTests
{
    [Theory]
    [InlineData("60s", 60)]
    [InlineData("2m", 120)]
    [InlineData("90", 90)]
    [InlineData("0.5s", 0.5)]
    [InlineData("0s", 0)]
    public void A_duration_reads_as_seconds(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), SoakBenchCommand.ParseDuration(text));

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("-5s")]
    [InlineData("1h")]
    [InlineData("ten")]
    [InlineData("99999999")]
    public void Anything_else_is_refused(string text) => Assert.Null(SoakBenchCommand.ParseDuration(text));
}
