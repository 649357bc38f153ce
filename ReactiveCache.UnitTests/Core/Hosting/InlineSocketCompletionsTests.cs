using ReactiveCache.Core.Hosting;

namespace ReactiveCache.UnitTests.Core.Hosting;

public class InlineSocketCompletionsTests
{
    private const string Inline = InlineSocketCompletions.EnvironmentVariable;
    private const string Threads = InlineSocketCompletions.EngineThreadsVariable;

    private static List<(string, string)> Choices(Dictionary<string, string> environment, int? engineThreads) =>
        [.. InlineSocketCompletions.Choices(name => environment.GetValueOrDefault(name), engineThreads)];

    [Fact]
    public void An_unset_environment_gets_inline_completions_and_the_asked_engine_threads()
    {
        Assert.Equal([(Inline, "1"), (Threads, "1")], Choices([], engineThreads: 1));
        Assert.Equal([(Inline, "1")], Choices([], engineThreads: null));
    }

    [Fact]
    public void What_the_environment_sets_decides()
    {
        Assert.Empty(Choices(new() { [Inline] = "0", [Threads] = "4" }, engineThreads: 1));
        Assert.Equal([(Threads, "1")], Choices(new() { [Inline] = "0" }, engineThreads: 1));
        Assert.Equal([(Inline, "1")], Choices(new() { [Threads] = "2" }, engineThreads: 1));
    }
}
