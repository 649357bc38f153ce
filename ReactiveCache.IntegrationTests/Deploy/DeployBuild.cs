using ReactiveCache.IntegrationTests.Infrastructure;
using ReactiveCache.IntegrationTests.Lambda;

namespace ReactiveCache.IntegrationTests.Deploy;

/// <summary>
/// One <c>deploy.sh --dry-run</c> per test run, on a machine with no AWS credentials: it builds every artifact
/// (the function from the run's one Native AOT publish) into <see cref="BuildDirectory"/>, where the offline
/// deploys find them (<c>--no-build</c>).
/// </summary>
public static class DeployBuild
{
    public const string ClientCidr = "203.0.113.7/32";

    private static readonly Lazy<Task<(int ExitCode, string Output)>> DryRun = new(RunDryRunAsync);
    private static NativeAotPublishFixture? _publish;

    public static string BuildDirectory { get; } = Path.Combine(RepoPaths.Root, "artifacts", "test-deploy");

    public static string Packages => Path.Combine(BuildDirectory, "packages");

    /// <summary>No credentials anywhere the AWS CLI would look, and no metadata service to ask.</summary>
    public static readonly IReadOnlyDictionary<string, string?> NoCredentials = new Dictionary<string, string?>
    {
        ["AWS_ACCESS_KEY_ID"] = null,
        ["AWS_SECRET_ACCESS_KEY"] = null,
        ["AWS_SESSION_TOKEN"] = null,
        ["AWS_PROFILE"] = null,
        ["AWS_CONFIG_FILE"] = "/nonexistent",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    /// <summary>The dry run's exit code and output (it runs once, with the collection's Native AOT publish).</summary>
    public static Task<(int ExitCode, string Output)> RunOnceAsync(NativeAotPublishFixture publish)
    {
        _publish ??= publish;
        return DryRun.Value;
    }

    private static async Task<(int, string)> RunDryRunAsync()
    {
        Assert.True(_publish!.ExitCode == 0, _publish.Log);
        return await ToolCommand.RunAsync(Path.Combine(DeployedSettings.DeployDirectory, "deploy.sh"),
            ["--dry-run", "--client-cidr", ClientCidr, "--function-publish", _publish.Output, "--build-dir", BuildDirectory],
            TimeSpan.FromMinutes(20), NoCredentials);
    }
}
