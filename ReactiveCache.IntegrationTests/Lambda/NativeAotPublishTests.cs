using System.Diagnostics;
using ReactiveCache.IntegrationTests.Infrastructure;

namespace ReactiveCache.IntegrationTests.Lambda;

/// <summary>Publishes the function with Native AOT once (into artifacts/, outside the project folder).</summary>
public sealed class NativeAotPublishFixture : IAsyncLifetime
{
    public string Output { get; } = Path.Combine(RepoPaths.Root, "artifacts", "test-lambda-aot");

    public string Binary => Path.Combine(Output, "bootstrap");

    public int ExitCode { get; private set; } = -1;

    public string Log { get; private set; } = "";

    public async Task InitializeAsync()
    {
        (ExitCode, Log) = await DotnetCommand.RunAsync(
            ["publish", "ReactiveCache.Lambda", "-c", "Release", "-r", "linux-x64", "-o", Output, "-nologo", "-clp:NoSummary"],
            TimeSpan.FromMinutes(10));
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>The tests that need the published function share one publish (one output folder).</summary>
[CollectionDefinition(Name)]
public sealed class NativeAotCollection : ICollectionFixture<NativeAotPublishFixture>
{
    public const string Name = "native-aot";
}

[Collection(NativeAotCollection.Name)]
public sealed class NativeAotPublishTests(NativeAotPublishFixture publish)
{
    [Fact]
    public void The_function_publishes_with_native_aot_and_no_warnings()
    {
        Assert.True(publish.ExitCode == 0, publish.Log);
        Assert.True(File.Exists(publish.Binary), publish.Log);
        Assert.DoesNotContain("warning", publish.Log, StringComparison.OrdinalIgnoreCase);
        // Native: no IL assembly of our own beside it.
        Assert.False(File.Exists(Path.Combine(publish.Output, "bootstrap.dll")));
    }

    [Fact]
    public async Task The_binary_fails_fast_with_a_clear_message_without_the_runtime_api()
    {
        Assert.True(publish.ExitCode == 0, publish.Log);
        var info = new ProcessStartInfo(publish.Binary) { RedirectStandardError = true, RedirectStandardOutput = true };
        info.Environment.Remove("AWS_LAMBDA_RUNTIME_API");
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("AWS_LAMBDA_RUNTIME_API is not set", stderr);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }
}
